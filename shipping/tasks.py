"""Celery tasks for shipping: thin and idempotent; each calls one service."""

from celery import shared_task

from shipping import services


@shared_task(queue="carriers", autoretry_for=(OSError,), retry_backoff=5, max_retries=8)
def void_shipment_label_task(shipment_id: int) -> None:
    services.shipment_void_label(shipment_id=shipment_id)
