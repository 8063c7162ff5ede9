"""Celery tasks for orders: thin and idempotent; each calls one service."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from orders import services
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


@shared_task(queue="notifications", autoretry_for=(SMTPException, OSError), retry_backoff=10, max_retries=8)
def send_order_email_task(order_id: int, kind: str) -> None:
    services.order_email_send(order_id=order_id, kind=kind)


@shared_task(queue="carriers", autoretry_for=(OSError,), retry_backoff=5, max_retries=8)
def create_shipment_label_task(shipment_id: int) -> None:
    services.order_shipment_label(shipment_id=shipment_id)


@shared_task(queue="orders")
def complete_delivered_orders_task() -> int:
    return services.orders_complete_delivered()
