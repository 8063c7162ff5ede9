"""Outbound webhooks: a storefront's subscriptions, the events they are sent, one delivery per pair.

The delivery row is the source of truth for what is still to send: ``next_retry_at`` says when (a beat job picks
up what is due), so a worker killed mid-send or a broker outage delays a delivery but never loses it.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def new_event_id() -> str:
    return f"evt_{secrets.token_hex(12)}"


class WebhookSubscription(models.Model):
    """Where a storefront wants its order events POSTed, and which events.

    The secret signs every delivery, so it is kept (not hashed); the API shows it once, when the subscription is
    made. ``failing_since`` is the first failed attempt with no successful one after it: a subscription failing
    for ``OMS_WEBHOOK_DISABLE_AFTER_DAYS`` is disabled, with the reason kept for its owner and staff.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    storefront = models.ForeignKey("oms.Storefront", on_delete=models.CASCADE, related_name="webhook_subscriptions")
    url = models.CharField(max_length=2000)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True)
    # When the storefront's contact was emailed about the disabling (once per disabling).
    disabled_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["storefront__name", "created_at"]
        permissions = [("manage_webhooks", "Can manage any storefront's webhook subscriptions")]
        indexes = [models.Index(fields=["storefront", "is_active"], name="webhook_sub_storefront_idx")]

    def __str__(self) -> str:
        return f"{self.storefront} → {self.url}"


class WebhookEvent(models.Model):
    """One thing that happened, as sent: its public id, type and (once rendered after commit) the exact body."""

    public_id = models.CharField(max_length=40, unique=True, default=new_event_id, editable=False)
    type = models.CharField(max_length=50)
    storefront = models.ForeignKey("oms.Storefront", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, null=True, related_name="+")
    # What else the event is about, when not the order itself: a return's number for return.* events.
    subject_ref = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    # The JSON body every delivery of the event sends, byte for byte ("" until rendered after commit).
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["created_at"], name="webhook_event_unrendered_idx", condition=Q(body="")),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.type}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class WebhookDelivery(models.Model):
    """One event sent to one subscription: its attempts, the last answer, when it is tried next.

    Deliveries of one order to one subscription go out in event order: one is not tried while an earlier one
    is still open (pending or retrying). ``claim_token`` marks the attempt that holds it now; its lease ends at
    ``next_retry_at``, after which anyone may take it again.
    """

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_once_per_subscription"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OPEN_STATUSES], next_retry_at__isnull=False)
                | ~Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="webhook_delivery_open_has_next_retry",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_retry_at"],
                name="webhook_delivery_due_idx",
                condition=Q(status__in=["pending", "retrying"]),
            ),
            models.Index(fields=["subscription", "order", "event"], name="webhook_delivery_chain_idx"),
            models.Index(fields=["subscription", "-event"], name="webhook_delivery_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"
