"""Reads of webhook subscriptions and deliveries for the API and the dashboard."""

import uuid

from django.db.models import Count, Q, QuerySet

from webhooks.exceptions import DeliveryNotFound, SubscriptionNotFound
from webhooks.models import OPEN_STATUSES, DeliveryStatus, WebhookDelivery, WebhookSubscription


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def webhook_subscription_list_for_storefront(*, storefront) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(storefront=storefront).order_by("created_at", "pk")


def webhook_subscription_get(*, subscription_id, storefront=None) -> WebhookSubscription:
    """The subscription (a storefront's own only, when given); SubscriptionNotFound otherwise."""
    pk = _uuid(subscription_id)
    queryset = WebhookSubscription.objects.select_related("storefront")
    if storefront is not None:
        queryset = queryset.filter(storefront=storefront)
    subscription = queryset.filter(pk=pk).first() if pk else None
    if subscription is None:
        raise SubscriptionNotFound("No such webhook subscription.")
    return subscription


def webhook_delivery_list(*, subscription_id) -> QuerySet[WebhookDelivery]:
    """The subscription's deliveries, newest event first."""
    return (
        WebhookDelivery.objects.filter(subscription_id=subscription_id)
        .select_related("event", "order")
        .order_by("-event_id")
    )


def webhook_delivery_get(*, delivery_id: int) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_related("subscription", "event").filter(pk=delivery_id).first()
    if delivery is None:
        raise DeliveryNotFound("No such delivery.")
    return delivery


def webhook_subscription_list_for_staff() -> QuerySet[WebhookSubscription]:
    """Every storefront's subscriptions with their open and failed delivery counts."""
    return (
        WebhookSubscription.objects.select_related("storefront")
        .annotate(
            open_count=Count("deliveries", filter=Q(deliveries__status__in=OPEN_STATUSES)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )
        .order_by("storefront__name", "created_at")
    )


def webhook_subscription_list_disabled() -> QuerySet[WebhookSubscription]:
    """Disabled subscriptions with the reason (the system disables one that keeps failing): the dashboard shows
    them to staff until someone enables or deletes them."""
    return WebhookSubscription.objects.filter(is_active=False).select_related("storefront").order_by("-disabled_at")
