"""Outbound webhooks: subscriptions, the events an order's timeline makes, and sending them.

How an event travels:

1. ``order_event_publish`` runs inside the transaction that writes an order's timeline entry (orders calls it
   through ``OMS_ORDER_EVENT_HOOKS``, so orders does not import this app). For each matching active
   subscription of the order's storefront it writes the event and one delivery row, and queues a send through
   the outbox: nothing is sent unless the change commits.
2. After commit, ``webhook_event_send`` renders the body once (``data`` as the storefront's own API shows the
   order) and tries each delivery.
3. An attempt first *claims* the delivery (one UPDATE: open, due, its subscription active, no earlier delivery
   of the same order to the same subscription still open), so two workers never send it at once and deliveries
   of one order arrive in order. A failure sets ``next_retry_at`` by exponential backoff with jitter; after
   ``OMS_WEBHOOK_RETRY_HOURS`` the delivery is failed. ``webhook_deliveries_send_due`` (a beat job) hands on
   whatever is due, so a killed worker or a lost task costs a delay, never a delivery.
"""

import json
import logging
import random
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import router, transaction
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.fields import DateTimeField
from rest_framework.renderers import JSONRenderer

from oms import compiled, outbox
from oms.exceptions import ConflictError, DomainError, InvalidInput
from oms.models import Storefront
from oms.signatures import timestamped_sign
from webhooks import transport
from webhooks.events import EVENT_TYPES, order_event_types, return_event_types, subject_of
from webhooks.exceptions import DeliveryNotFound, SubscriptionNotFound, UnsafeWebhookUrl
from webhooks.models import OPEN_STATUSES, DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription

logger = logging.getLogger(__name__)

QUEUE = "webhooks"
SEND_EVENT_TASK = "webhooks.tasks.send_webhook_event_task"
SEND_DELIVERY_TASK = "webhooks.tasks.send_webhook_delivery_task"
# A delivery handed to a worker by the beat job is held this long (it waits in the queue). A claim that is never
# finished (a killed worker, a lost task) runs out and the beat job hands the delivery on again.
HANDOVER_LEASE = timedelta(minutes=5)
USER_AGENT = "OMS-Webhooks/1.0"
# Every order event fans out to each subscription: a storefront cannot make that unbounded.
MAX_SUBSCRIPTIONS = 20


# --- Subscriptions -----------------------------------------------------------------------------------------


def webhook_subscription_create(*, storefront, url: str, events: list[str], actor: str = "") -> WebhookSubscription:
    """Subscribe ``storefront`` to ``events`` at ``url``; raises InvalidInput naming the field."""
    url = (url or "").strip()
    unknown = [e for e in events if e not in EVENT_TYPES]
    if not events or unknown:
        problem = f"Unknown event type: {', '.join(map(str, unknown))}." if unknown else "Choose at least one event."
        raise InvalidInput(problem, fields={"events": [problem]})
    if not url or len(url) > 2000:
        raise UnsafeWebhookUrl("Enter a URL of at most 2000 characters.")
    transport.target_check(url)
    if WebhookSubscription.objects.filter(storefront=storefront).count() >= MAX_SUBSCRIPTIONS:
        raise DomainError(
            f"A storefront has at most {MAX_SUBSCRIPTIONS} webhook subscriptions; delete one first.",
            code="too_many_subscriptions",
        )
    return WebhookSubscription.objects.create(
        storefront=storefront, url=url, events=list(dict.fromkeys(events)), created_by=actor[:150]
    )


def webhook_subscription_delete(*, subscription_id, storefront=None) -> None:
    """Delete the subscription and its delivery log; a storefront may delete only its own (404 otherwise)."""
    queryset = WebhookSubscription.objects.filter(pk=subscription_id)
    if storefront is not None:
        queryset = queryset.filter(storefront=storefront)
    deleted, _ = queryset.delete()
    if not deleted:
        raise SubscriptionNotFound("No such webhook subscription.")


def webhook_subscription_disable(*, subscription_id, reason: str, now: datetime | None = None) -> WebhookSubscription:
    """Stop sending to the subscription; its open deliveries are failed with ``reason`` (redeliver later)."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None:
            raise SubscriptionNotFound("No such webhook subscription.")
        _disable(subscription, reason=reason, now=now)
    return subscription


def webhook_subscription_enable(*, subscription_id) -> WebhookSubscription:
    """Send to the subscription again, with a clean failure record."""
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None:
            raise SubscriptionNotFound("No such webhook subscription.")
        subscription.is_active = True
        subscription.failing_since = None
        subscription.disabled_at = None
        subscription.disabled_reason = ""
        subscription.disabled_told_at = None
        subscription.save(
            update_fields=["is_active", "failing_since", "disabled_at", "disabled_reason", "disabled_told_at"]
        )
    return subscription


def _disable(subscription: WebhookSubscription, *, reason: str, now: datetime) -> None:
    subscription.is_active = False
    subscription.disabled_at = now
    subscription.disabled_reason = reason
    subscription.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    subscription.deliveries.filter(status__in=OPEN_STATUSES).update(
        status=DeliveryStatus.FAILED, next_retry_at=None, claim_token=None, last_error="Subscription disabled."
    )
    # The reason stays on the subscription (the dashboard's integrations page, GET /api/v1/webhooks/) and the
    # storefront's contact is told by email, after commit.
    outbox.enqueue(
        "webhooks.tasks.tell_subscription_disabled_task",
        queue="notifications",
        dedupe_key=f"webhook-disabled-{subscription.pk}-{int(now.timestamp())}",
        subscription_id=str(subscription.pk),
    )
    logger.warning("webhooks: subscription %s (%s) disabled: %s", subscription.pk, subscription.storefront_id, reason)


def webhook_subscription_disabled_tell(*, subscription_id) -> bool:
    """Email the storefront's contact that its subscription was disabled, and why; once per disabling (the
    claim is the ``disabled_told_at`` mark). False when there is no one to tell or it was told already."""
    now = timezone.now()
    claimed = WebhookSubscription.objects.filter(pk=subscription_id, is_active=False, disabled_told_at=None).update(
        disabled_told_at=now
    )
    subscription = WebhookSubscription.objects.select_related("storefront").get(pk=subscription_id)
    address = subscription.storefront.contact_email
    if not claimed or not address:
        return False
    try:
        send_mail(
            subject=f"Webhook subscription disabled: {subscription.url}"[:200],
            message=(
                f"The webhook subscription of {subscription.storefront.name} to {subscription.url} was disabled on "
                f"{subscription.disabled_at:%Y-%m-%d %H:%M %Z}.\n\nWhy: {subscription.disabled_reason}\n\n"
                "Fix the receiver, then ask the shop to enable the subscription again (dashboard, Integrations), "
                "or delete it and subscribe anew with DELETE and POST /api/v1/webhooks/."
            ),
            from_email=None,
            recipient_list=[address],
        )
    except Exception:
        # Not told after all: the task retries and claims again.
        WebhookSubscription.objects.filter(pk=subscription_id).update(disabled_told_at=None)
        raise
    return True


# --- Events ------------------------------------------------------------------------------------------------


def order_event_publish(events: list) -> None:
    """Turn an order's new timeline entries into webhook events for its storefront's subscriptions.

    Runs in the transaction that wrote ``events`` (``orders.OrderEvent`` rows of one order, in the order
    written), named by ``OMS_ORDER_EVENT_HOOKS``: the subscriptions are read once, and the webhook events, their
    deliveries and their sends are written one statement each, however many entries there are.
    """
    if not events:
        return
    _publish_many(
        order=events[0].order,
        typed=[
            (event_type, event.at)
            for event in events
            for event_type in order_event_types(
                from_status=event.from_status,
                to_status=event.to_status,
                contents_changed=getattr(event, "contents_changed", False),
            )
        ],
    )


def return_event_publish(event) -> None:
    """Turn a return's new timeline entry (a ``returns.ReturnEvent``) into ``return.*`` webhook events for the
    storefront of its order; named by ``OMS_RETURN_EVENT_HOOKS``. The return's deliveries queue behind the
    order's (one order, one line), so a receiver hears of a return after the delivery it follows."""
    return_request = event.return_request
    types = return_event_types(from_status=event.from_status, to_status=event.to_status)
    _publish(order=return_request.order, types=types, at=event.at, subject_ref=return_request.number)


def _publish(*, order, types: list[str], at: datetime, subject_ref: str = "") -> None:
    """For each event type, an event and one delivery per subscription of the order's storefront that asked
    for it, and its send queued through the outbox (nothing goes out unless the change commits)."""
    _publish_many(order=order, typed=[(event_type, at) for event_type in types], subject_ref=subject_ref)


def _subscriptions(values: dict):
    """The active subscriptions of an active storefront (compiled once: it runs for every order event)."""
    return WebhookSubscription.objects.filter(
        storefront_id=values["storefront"], is_active=True, storefront__is_active=True
    ).only("id", "events")


# The subscriptions placement's catalog read found for its storefront: (storefront id, subscriptions).
_known_subscriptions: ContextVar[tuple[int, list[WebhookSubscription]] | None] = ContextVar(
    "webhook_subscriptions_known", default=None
)


class _SubscriptionsReadAlong:
    """``_subscriptions`` as one JSON value read along placement's catalog read (``orders.event_hooks``)."""

    def expression(self, storefront_id) -> RawSQL:
        subscriptions = WebhookSubscription._meta.db_table
        storefronts = Storefront._meta.db_table
        return RawSQL(
            f"SELECT COALESCE(json_agg(json_build_array(s.id, s.events) ORDER BY s.created_at, s.id), '[]')::text "
            f'FROM "{subscriptions}" s JOIN "{storefronts}" f ON f.id = s.storefront_id '
            "WHERE s.storefront_id = %s AND s.is_active AND f.is_active",
            [storefront_id],
            output_field=TextField(),
        )

    @contextmanager
    def known(self, storefront_id, value):
        rows = json.loads(value)
        alias = router.db_for_read(WebhookSubscription)
        found = [WebhookSubscription.from_db(alias, ["id", "events"], [uuid.UUID(pk), events]) for pk, events in rows]
        token = _known_subscriptions.set((storefront_id, found))
        try:
            yield
        finally:
            _known_subscriptions.reset(token)


order_event_publish.read_along = _SubscriptionsReadAlong()


def _subscriptions_of(storefront_id: int) -> list[WebhookSubscription]:
    known = _known_subscriptions.get()
    if known is not None and known[0] == storefront_id:
        return known[1]
    return list(compiled.run("webhook-subscriptions", _subscriptions, {"storefront": storefront_id}))


def _publish_many(*, order, typed: list[tuple[str, datetime]], subject_ref: str = "") -> None:
    """``_publish`` for several (type, time) pairs of one order, in order: the events, then their deliveries,
    then their sends, one statement each."""
    if not typed or order.storefront_id is None:
        return
    subscriptions = _subscriptions_of(order.storefront_id)
    planned = [(event_type, at, [s for s in subscriptions if event_type in s.events]) for event_type, at in typed]
    planned = [(event_type, at, targets) for event_type, at, targets in planned if targets]
    if not planned:
        return
    webhook_events = WebhookEvent.objects.bulk_create(
        WebhookEvent(
            type=event_type,
            storefront_id=order.storefront_id,
            order_id=order.pk,
            created_at=at,
            subject_ref=subject_ref,
        )
        for event_type, at, _ in planned
    )
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=webhook_event, subscription=s, order_id=order.pk, next_retry_at=at)
        for webhook_event, (_, at, targets) in zip(webhook_events, planned, strict=True)
        for s in targets
    )
    outbox.enqueue_many(
        [outbox.Message(SEND_EVENT_TASK, QUEUE, {"event_id": webhook_event.pk}) for webhook_event in webhook_events]
    )


def webhook_event_render(*, event_id: int) -> WebhookEvent:
    """Write the event's body once: ``{"id", "type", "created_at", "data"}``; ``data`` comes from the builder
    ``OMS_WEBHOOK_DATA_BUILDERS`` names for the event's subject (for orders: the storefront's API view)."""
    event = WebhookEvent.objects.select_related("storefront", "order").get(pk=event_id)
    if event.body:
        return event
    builder = import_string(settings.OMS_WEBHOOK_DATA_BUILDERS[subject_of(event.type)])
    envelope = {
        "id": event.public_id,
        "type": event.type,
        "created_at": DateTimeField().to_representation(event.created_at),
        "data": builder(event=event),
    }
    body = JSONRenderer().render(envelope).decode()
    WebhookEvent.objects.filter(pk=event.pk, body="").update(body=body)
    return WebhookEvent.objects.select_related("storefront", "order").get(pk=event_id)


def webhook_event_send(*, event_id: int) -> int:
    """Render the event and try each of its deliveries now (those that are due and next in line); how many
    were delivered."""
    if not WebhookEvent.objects.filter(pk=event_id).exists():
        return 0
    webhook_event_render(event_id=event_id)
    delivered = 0
    for delivery_id in WebhookDelivery.objects.filter(event_id=event_id).values_list("pk", flat=True):
        delivered += webhook_delivery_send(delivery_id=delivery_id)
    return delivered


# --- Deliveries --------------------------------------------------------------------------------------------


def _earlier_open():
    """An earlier delivery of the same order to the same subscription that is still open."""
    return WebhookDelivery.objects.filter(
        subscription_id=OuterRef("subscription_id"),
        order_id=OuterRef("order_id"),
        event_id__lt=OuterRef("event_id"),
        status__in=OPEN_STATUSES,
    )


def _claim(*, delivery_id: int, now: datetime, lease: timedelta, token: uuid.UUID | None = None) -> uuid.UUID | None:
    """Take the delivery for one attempt if it is open, due (or held by ``token``), its subscription active and
    no earlier delivery of its order to that subscription is open; the claim's token, or None."""
    due = Q(next_retry_at__lte=now)
    if token is not None:
        due |= Q(claim_token=token)
    claim = token or uuid.uuid4()
    taken = (
        WebhookDelivery.objects.filter(due, pk=delivery_id, status__in=OPEN_STATUSES, subscription__is_active=True)
        .exclude(Exists(_earlier_open()))
        .update(claim_token=claim, next_retry_at=now + lease)
    )
    return claim if taken else None


def webhook_delivery_send(
    *, delivery_id: int, token: uuid.UUID | str | None = None, now: datetime | None = None
) -> int:
    """Attempt the delivery and, while they succeed, the next deliveries of the same order to the same
    subscription that waited behind it; how many were delivered."""
    token = uuid.UUID(str(token)) if token else None
    delivered = 0
    while delivery_id is not None:
        delivery = webhook_delivery_attempt(delivery_id=delivery_id, token=token, now=now)
        if delivery is None or delivery.status != DeliveryStatus.DELIVERED:
            break
        delivered += 1
        token = None
        delivery_id = (
            WebhookDelivery.objects.filter(
                subscription_id=delivery.subscription_id,
                order_id=delivery.order_id,
                event_id__gt=delivery.event_id,
                status__in=OPEN_STATUSES,
            )
            .order_by("event_id")
            .values_list("pk", flat=True)
            .first()
        )
    return delivered


def webhook_delivery_attempt(
    *, delivery_id: int, token: uuid.UUID | None = None, now: datetime | None = None
) -> WebhookDelivery | None:
    """One attempt at one delivery, if it can be claimed now; the delivery as recorded, or None."""
    now = now or timezone.now()
    claim = _claim(delivery_id=delivery_id, now=now, lease=attempt_lease(), token=token)
    if claim is None:
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    event = webhook_event_render(event_id=delivery.event_id)
    body = event.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-OMS-Event-Id": event.public_id,
        "X-OMS-Event-Type": event.type,
        "X-OMS-Signature": timestamped_sign(secret=delivery.subscription.secret, body=body),
    }
    try:
        target = transport.target_check(delivery.subscription.url)
    except UnsafeWebhookUrl as exc:
        answer = transport.Answer(None, f"Not sent: {exc.message}")
    else:
        answer = transport.post(target, body=body, headers=headers, timeout=settings.OMS_WEBHOOK_TIMEOUT_SECONDS)
    return _attempt_record(delivery_id=delivery_id, claim=claim, answer=answer, now=now)


def attempt_lease() -> timedelta:
    """How long one attempt holds a delivery: well past a send's longest time (connect and answer, each within
    the timeout, on up to a few addresses)."""
    return timedelta(seconds=6 * settings.OMS_WEBHOOK_TIMEOUT_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt: doubling from the base, capped, ±25 % jitter."""
    base = settings.OMS_WEBHOOK_RETRY_BASE_SECONDS * 2 ** min(attempts - 1, 30)
    seconds = min(base, settings.OMS_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS)
    return timedelta(seconds=seconds * random.uniform(0.75, 1.25))  # noqa: S311 - jitter, not a secret


def _attempt_record(*, delivery_id: int, claim: uuid.UUID, answer: transport.Answer, now: datetime):
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id, claim_token=claim).first()
        if delivery is None:  # the claim ran out and another attempt took the delivery, or staff reset it
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = answer.status
        delivery.claim_token = None
        if delivery.give_up_at is None:
            delivery.give_up_at = now + timedelta(hours=settings.OMS_WEBHOOK_RETRY_HOURS)
        succeeded = answer.status is not None and 200 <= answer.status < 300
        if succeeded:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_retry_at = None
            delivery.last_error = ""
        else:
            delivery.last_error = answer.text or f"HTTP {answer.status}"
            if now >= delivery.give_up_at:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_retry_at = None
            else:
                delivery.status = DeliveryStatus.RETRYING
                delivery.next_retry_at = min(now + retry_delay(delivery.attempts), delivery.give_up_at)
        delivery.save()
        if succeeded:
            WebhookSubscription.objects.filter(pk=delivery.subscription_id, failing_since__isnull=False).update(
                failing_since=None
            )
        else:
            _failure_count(subscription_id=delivery.subscription_id, delivery=delivery, now=now)
    return delivery


def _failure_count(*, subscription_id, delivery: WebhookDelivery, now: datetime) -> None:
    """Note the failure on the subscription; one failing for ``OMS_WEBHOOK_DISABLE_AFTER_DAYS`` is disabled."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
    if subscription.failing_since is None:
        subscription.failing_since = now
        subscription.save(update_fields=["failing_since"])
        return
    if subscription.is_active and now - subscription.failing_since >= timedelta(
        days=settings.OMS_WEBHOOK_DISABLE_AFTER_DAYS
    ):
        last = f"HTTP {delivery.last_status_code}" if delivery.last_status_code else delivery.last_error[:200]
        _disable(
            subscription,
            reason=(
                f"Disabled automatically: every delivery failed since {subscription.failing_since:%Y-%m-%d %H:%M} "
                f"UTC (last answer: {last}). Fix the receiver, then enable the subscription again."
            ),
            now=now,
        )


def webhook_deliveries_send_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The beat job: render events not rendered yet and hand each due delivery (next in its order's line) to a
    worker, claimed so the next run does not hand it again; how many were handed on."""
    now = now or timezone.now()
    for event_id in WebhookEvent.objects.filter(body="").order_by("pk").values_list("pk", flat=True)[:limit]:
        try:
            webhook_event_render(event_id=event_id)
        except DomainError as exc:  # one event that cannot be rendered must not hold up every other delivery
            logger.error("webhooks: event %s cannot be rendered: %s", event_id, exc)
    due = (
        WebhookDelivery.objects.filter(status__in=OPEN_STATUSES, next_retry_at__lte=now, subscription__is_active=True)
        .exclude(Exists(_earlier_open()))
        .order_by("next_retry_at")
        .values_list("pk", flat=True)[:limit]
    )
    handed = 0
    with transaction.atomic():
        for delivery_id in list(due):
            claim = _claim(delivery_id=delivery_id, now=now, lease=HANDOVER_LEASE)
            if claim is not None:
                outbox.enqueue(SEND_DELIVERY_TASK, queue=QUEUE, delivery_id=delivery_id, token=str(claim))
                handed += 1
    return handed


def webhook_delivery_redeliver(*, delivery_id: int, actor: str) -> WebhookDelivery:
    """Send a delivery again (staff): open now, with a fresh retry window; it goes out after commit."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update().select_related("subscription").filter(pk=delivery_id).first()
        )
        if delivery is None:
            raise DeliveryNotFound("No such delivery.")
        if not delivery.subscription.is_active:
            raise ConflictError("The subscription is disabled: enable it before redelivering.", code="disabled")
        delivery.status = DeliveryStatus.PENDING if delivery.attempts == 0 else DeliveryStatus.RETRYING
        delivery.next_retry_at = timezone.now()
        delivery.give_up_at = None
        delivery.claim_token = None
        delivery.save(update_fields=["status", "next_retry_at", "give_up_at", "claim_token"])
        logger.info("webhooks: delivery %s redelivered by %s", delivery.pk, actor)
        outbox.enqueue(SEND_DELIVERY_TASK, queue=QUEUE, delivery_id=delivery.pk, token=None)
    return delivery


def webhook_records_purge(*, now: datetime | None = None) -> int:
    """Delete events older than ``OMS_WEBHOOK_RETENTION_DAYS`` with no delivery still open (their deliveries
    go with them); how many events went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OMS_WEBHOOK_RETENTION_DAYS)
    open_delivery = WebhookDelivery.objects.filter(event_id=OuterRef("pk"), status__in=OPEN_STATUSES)
    old = WebhookEvent.objects.filter(created_at__lt=cutoff).exclude(Exists(open_delivery))
    deleted = 0
    while batch := list(old.values_list("pk", flat=True)[:1000]):
        deleted += len(batch)
        WebhookEvent.objects.filter(pk__in=batch).delete()
    return deleted
