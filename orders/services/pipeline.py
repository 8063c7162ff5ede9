"""The automatic stages: verify (reserve stock) → credit check → pay → confirm.

A stage that cannot pass puts the order on hold with its reason. Stages that call out (the payment
gateway, email) run in Celery tasks queued through the outbox; the others run in the caller's transaction.
"""

from django.conf import settings
from django.db import transaction

from inventory.exceptions import OutOfStock
from oms import outbox
from orders.models import Customer, HoldReason, Order, OrderLine, OrderStatus
from orders.services.backorders import order_stock_reserve
from orders.services.common import (
    SYSTEM,
    event_record,
    notify,
    order_events_flush,
    order_lock,
    payment_summary_sync,
    transition_apply,
)
from orders.services.notifications import order_hold_notify, order_payment_instructions_notify, promise_from_now
from orders.services.risk import risk_hold_if_flagged
from payments.exceptions import GatewayUnavailable
from payments.models import Payment
from payments.services import credit_check, payment_authorize, payment_last_error


def _verify(order: Order, lines: list[OrderLine] | None) -> None:
    """Reserve the order's stock (backordering what may wait, see ``orders.services.backorders``), or hold it."""
    lines = lines if lines is not None else list(order.lines.select_related("product"))
    try:
        note = order_stock_reserve(order=order, lines=lines, actor=SYSTEM)
    except OutOfStock as exc:
        transition_apply(
            order, "hold", actor=SYSTEM, reason=HoldReason.OUT_OF_STOCK, note=exc.message, detail=exc.message
        )
        return
    transition_apply(order, "verify", actor=SYSTEM, note=note)


def _check_credit(order: Order, customer: Customer | None) -> None:
    if order.payment_method == Payment.Method.ON_ACCOUNT:
        # The check reserves the amount on the payment row: a placement's rows are stored first.
        order_events_flush(order)
        # Serialise credit checks per customer: two orders cannot both fit under one limit.
        customer = Customer.objects.select_for_update().get(pk=order.customer_id)
    else:
        customer = customer or order.customer
    decision = credit_check(
        customer_id=customer.pk,
        payment_method=order.payment_method,
        on_account=customer.on_account,
        credit_limit=customer.credit_limit,
        amount=order.total,
        order_id=order.pk,
    )
    if decision.approved:
        note = (
            "Prepaid"
            if order.payment_method != Payment.Method.ON_ACCOUNT
            else (f"On account: {decision.outstanding} outstanding, limit {customer.credit_limit}")
        )
        transition_apply(order, "approve_credit", actor=SYSTEM, note=note)
    else:
        transition_apply(
            order, "hold", actor=SYSTEM, reason=HoldReason.CREDIT, note=decision.reason, detail=decision.reason
        )
        order_events_flush(order)  # the email names the hold's event: it must be written (placement batches it)
        order_hold_notify(order)


def _confirm(order: Order) -> None:
    transition_apply(order, "confirm", actor=SYSTEM, note="Confirmation email queued")
    order_promise_renew(order=order, actor=SYSTEM)  # before the email, which tells the estimate
    notify(order, "confirmation")


def order_promise_renew(*, order: Order, actor: str) -> None:
    """Promise the locked order's ship-by and delivery dates again from now, as it (re)enters the flow.

    An order paid after a week waiting for its transfer, or released from a hold, gets the dates a new
    order would get today, not the ones promised when it was placed; they only ever move later. The
    timeline notes the change.
    """
    renewed = promise_from_now(order=order)
    if renewed is None:
        return
    ship_by, delivery = renewed
    before_ship_by, before_delivery = order.promised_ship_date, order.estimated_delivery_date
    ship_by = max(ship_by, before_ship_by) if before_ship_by else ship_by
    delivery = max(delivery, before_delivery) if before_delivery else delivery
    if (ship_by, delivery) == (before_ship_by, before_delivery):
        return
    order.promised_ship_date, order.estimated_delivery_date = ship_by, delivery
    if not order._state.adding:  # a placement's order not stored yet is inserted with them
        order.save(update_fields=["promised_ship_date", "estimated_delivery_date", "updated_at"])
    was = f" (was {before_ship_by:%d %b %Y})" if before_ship_by else ""
    was_delivery = f" (was {before_delivery:%d %b %Y})" if before_delivery else ""
    event_record(
        order=order,
        actor=actor,
        note=f"Dates promised again from today: ship by {ship_by:%d %b %Y}{was}, "
        f"estimated delivery {delivery:%d %b %Y}{was_delivery}",
    )


def auto_stages_run(*, order: Order, lines: list[OrderLine] | None = None, customer: Customer | None = None) -> None:
    """Advance a locked order through every automatic stage it can pass from where it stands."""
    if order.status == OrderStatus.PLACED:
        _verify(order, lines)
    if order.status == OrderStatus.VERIFIED and risk_hold_if_flagged(order):
        return  # fraud review: nothing is charged until staff approve
    if order.status == OrderStatus.VERIFIED:
        _check_credit(order, customer)
    if order.status == OrderStatus.CREDIT_APPROVED:
        outbox.enqueue("orders.tasks.pay_order_task", queue="payments", order_id=order.pk)
    if order.status == OrderStatus.PAID:
        _confirm(order)


def order_pay(*, order_id: int, final_attempt: bool = False) -> Order:
    """Authorize the order's payment, then pay and confirm it, or hold it when the payment fails.

    Raises GatewayUnavailable while the gateway does not answer so the task can retry; on the final
    attempt the order goes on hold instead.
    """
    order = Order.objects.get(pk=order_id)
    if order.status != OrderStatus.CREDIT_APPROVED:
        return order
    payment = order.payments.order_by("-pk").first()
    try:
        payment = payment_authorize(payment_id=payment.pk)
    except GatewayUnavailable as exc:
        if not final_attempt:
            raise
        reason = f"{exc.message} Gave up after {settings.OMS_PAYMENT_MAX_RETRIES} retries."
        # Our gateway was down, not the customer's card: staff retry, the customer is not asked to act.
        return _pay_failed(order_id, payment, reason, tell_customer=False)
    if payment.status == Payment.Status.DECLINED:
        reason = payment_last_error(payment=payment) or "Payment declined."
        return _pay_failed(order_id, payment, reason, tell_customer=True)
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        if order.status != OrderStatus.CREDIT_APPROVED:
            return order
        payment_summary_sync(order, payment)
        if payment.status == Payment.Status.AWAITING_FUNDS:
            order.save(update_fields=["payment_status", "updated_at"])
            order_payment_instructions_notify(order)
            return order
        transition_apply(order, "pay", actor=SYSTEM, note=f"{payment.get_method_display()} authorized")
        _confirm(order)
    return order


def _pay_failed(order_id: int, payment: Payment, reason: str, *, tell_customer: bool) -> Order:
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        if order.status != OrderStatus.CREDIT_APPROVED:
            return order
        payment_summary_sync(order, payment)
        transition_apply(order, "hold", actor=SYSTEM, reason=HoldReason.PAYMENT_FAILED, note=reason, detail=reason)
        if tell_customer:
            order_hold_notify(order)
    return order
