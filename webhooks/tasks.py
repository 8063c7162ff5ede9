"""Celery tasks for webhooks: thin and idempotent (a delivery is claimed before it is sent)."""

from celery import shared_task

from webhooks import services


@shared_task(queue="webhooks")
def send_webhook_event_task(event_id: int) -> int:
    return services.webhook_event_send(event_id=event_id)


@shared_task(queue="webhooks")
def send_webhook_delivery_task(delivery_id: int, token: str | None = None) -> int:
    return services.webhook_delivery_send(delivery_id=delivery_id, token=token)


@shared_task(queue="webhooks")
def send_due_webhooks_task() -> int:
    """Beat: hand on every delivery whose retry is due, or whose task was lost (see services)."""
    return services.webhook_deliveries_send_due()


@shared_task(queue="webhooks")
def purge_webhook_records_task() -> int:
    return services.webhook_records_purge()


@shared_task(queue="notifications", autoretry_for=(OSError,), retry_backoff=60, max_retries=10)
def tell_subscription_disabled_task(subscription_id: str) -> bool:
    return services.webhook_subscription_disabled_tell(subscription_id=subscription_id)
