"""Celery tasks for returns: thin and idempotent; each calls one service."""

from celery import shared_task

from returns import services


@shared_task(queue="carriers", autoretry_for=(OSError,), retry_backoff=5, max_retries=8)
def create_return_label_task(return_id: int) -> None:
    services.return_label_buy(return_id=return_id)


@shared_task(queue="carriers")
def redrive_return_labels_task() -> int:
    """Beat job: authorized returns whose label never came get it queued again."""
    return services.return_labels_redrive()
