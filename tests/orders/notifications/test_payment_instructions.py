"""A bank-transfer customer is told how to pay: amount, account, reference and the day the order is cancelled."""

from django.conf import settings
from django.core import mail

from orders.models import Notification, Order
from orders.selectors.unpaid import unpaid_cancel_on
from orders.services import order_mark_paid, order_pay
from orders.tasks import send_order_email_task
from tests.factories import OrderFactory, StaffFactory


def _bank_transfer(commit) -> Order:
    with commit():
        order = OrderFactory(lines=[("MUG-1", 2)], payment_method="bank_transfer", payment_token="")
    return Order.objects.get(pk=order.pk)


def _instructions(order: Order) -> list:
    return [m for m in mail.outbox if m.subject == f"Order {order.number}: how to pay by bank transfer"]


def test_an_order_waiting_for_a_transfer_emails_how_to_pay(mug, commit):
    # when a customer orders with payment by bank transfer
    order = _bank_transfer(commit)

    # then one email tells the amount, the account, the reference and the last day
    assert (order.status, order.payment_status) == ("credit_approved", "awaiting_funds")
    [email] = _instructions(order)
    cancel_on = unpaid_cancel_on(order=order)
    for body in (email.body, email.alternatives[0][0]):
        assert f"{order.total} {order.currency}" in body
        assert settings.OMS_BANK_IBAN in body and settings.OMS_BANK_BIC in body
        assert settings.OMS_BANK_ACCOUNT_NAME in body
        assert f"Reference {order.number}" in " ".join(body.replace(":", "").replace("<strong>", "").split()) or (
            f'Reference</th><td style="padding:4px 0"><strong>{order.number}' in body
        )
        assert f"{cancel_on:%A}, {cancel_on.day} {cancel_on:%B %Y}" in body
    assert email.to == [order.customer.email]


def test_the_instructions_go_out_once_however_often_the_task_runs(mug, commit):
    # given the instructions were sent
    order = _bank_transfer(commit)
    assert len(_instructions(order)) == 1

    # when the task is delivered again
    send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": "payment_instructions"})

    # then nothing more went out
    assert len(_instructions(order)) == 1
    assert Notification.objects.get(order=order, kind="payment_instructions").sent_at is not None


def test_no_instructions_once_the_money_arrived_before_the_email_went_out(mug, commit):
    # given an order waiting for a transfer whose email has not gone out yet
    order = OrderFactory(lines=[("MUG-1", 1)], payment_method="bank_transfer", payment_token="")
    order_pay(order_id=order.pk)
    order_mark_paid(order_id=order.pk, user=StaffFactory(role="finance"))
    mail.outbox.clear()

    # when the queued email is sent late
    sent = send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": "payment_instructions"})

    # then it is skipped: the order is paid
    assert sent.successful()
    assert _instructions(order) == []


def test_card_orders_get_no_payment_instructions(mug, commit):
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)])

    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert _instructions(order) == []
