"""Celery tasks for orders: thin and idempotent; each calls one service."""

from smtplib import SMTPDataError, SMTPException, SMTPRecipientsRefused

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from orders import services
from orders.services.backorders import backorders_allocate, backorders_sweep
from orders.services.imports import order_import_run
from orders.services.shipments import order_capture_shipment_payment
from payments.exceptions import GatewayUnavailable


@shared_task(bind=True, queue="payments", max_retries=None)
def pay_order_task(self, order_id: int) -> None:
    final = self.request.retries >= settings.OMS_PAYMENT_MAX_RETRIES
    try:
        services.order_pay(order_id=order_id, final_attempt=final)
    except GatewayUnavailable as exc:
        countdown = 0 if settings.OMS_TASKS_INLINE else 2**self.request.retries * 5
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(queue="payments", autoretry_for=(GatewayUnavailable,), retry_backoff=5, max_retries=10)
def capture_order_payment_task(order_id: int) -> None:
    services.order_capture_payment(order_id=order_id)


@shared_task(queue="payments", autoretry_for=(GatewayUnavailable,), retry_backoff=5, max_retries=10)
def cancel_order_payment_task(order_id: int) -> None:
    services.order_cancel_payment(order_id=order_id)


@shared_task(queue="payments")
def record_order_payment_news_task(order_id: int, note: str) -> None:
    services.order_payment_news(order_id=order_id, note=note)


# A worker retries a failed email with backoff (10 s, 20 s, ... capped at an hour: about 40 minutes in all);
# run in-process (no broker) a retry happens at once and holds up the request, so only a couple.
EMAIL_MAX_RETRIES = 8
EMAIL_MAX_RETRIES_IN_PROCESS = 2


def _email_error_is_transient(exc: Exception) -> bool:
    """A refusal the mail server says is permanent (5xx for the recipient or the message) will not pass
    on a retry; a dropped connection, a timeout or a 4xx "try later" may."""
    if isinstance(exc, SMTPRecipientsRefused):
        return any(code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, SMTPDataError):
        return exc.smtp_code < 500
    return True


@shared_task(bind=True, queue="notifications", max_retries=None)
def send_order_email_task(self, order_id: int, kind: str) -> None:
    try:
        services.order_email_send(order_id=order_id, kind=kind)
    except (SMTPException, OSError) as exc:
        limit = EMAIL_MAX_RETRIES_IN_PROCESS if self.request.is_eager else EMAIL_MAX_RETRIES
        final = self.request.retries >= limit or not _email_error_is_transient(exc)
        services.order_email_failed(order_id=order_id, kind=kind, error=str(exc) or type(exc).__name__, final=final)
        if final:
            raise
        countdown = 0 if self.request.is_eager else min(10 * 2**self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(queue="carriers", autoretry_for=(OSError,), retry_backoff=5, max_retries=8)
def create_shipment_label_task(shipment_id: int) -> None:
    services.order_shipment_label(shipment_id=shipment_id)


@shared_task(queue="orders")
def complete_delivered_orders_task() -> int:
    return services.orders_complete_delivered()


@shared_task(queue="orders")
def reconcile_orders_task() -> dict:
    """Drive on automatic work whose task was lost (see orders.services.reconcile)."""
    report = services.orders_reconcile()
    return {"driven": report.driven, "given_up": report.given_up}


@shared_task(queue="orders")
def cancel_unpaid_orders_task() -> list[str]:
    """Cancel orders that waited for their payment too long (see orders.services.expiry)."""
    return services.orders_cancel_unpaid()


@shared_task(queue="orders", autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def import_orders_task(import_id: str) -> None:
    """Run a bulk import; run again (a redelivery after a worker restart), it carries on where it stopped."""
    order_import_run(import_id=import_id)


@shared_task(queue="orders", autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def backorders_allocate_task(product_ids: list[int]) -> int:
    """Units of these products became available: allocate them to the orders waiting for them (see
    orders.services.backorders). Queued by inventory's stock_arrived through ``OMS_STOCK_ARRIVED_TASKS``."""
    return backorders_allocate(product_ids=product_ids)


@shared_task(queue="orders", autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def backorders_sweep_task() -> int:
    """Beat's safety net for allocation: waiting orders get stock that is there even if no arrival told them."""
    return backorders_sweep()


@shared_task(queue="payments", autoretry_for=(GatewayUnavailable,), retry_backoff=5, max_retries=10)
def capture_shipment_payment_task(shipment_id: int) -> None:
    """Capture what one parcel of an order shipped in parts carries; run twice, it captures nothing twice."""
    order_capture_shipment_payment(shipment_id=shipment_id)
