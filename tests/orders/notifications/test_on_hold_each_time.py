"""The on-hold email goes out for every hold the customer can fix, once per hold: a second declined card or a
second address problem is told again."""

from django.core import mail

from orders.models import Notification, Order
from orders.services import order_payment_retry, order_transition
from orders.tasks import send_order_email_task
from tests.factories import OrderFactory, StaffFactory


def _on_hold_emails(order: Order) -> list:
    return [m for m in mail.outbox if m.subject == f"Order {order.number} is on hold: we need your help"]


def test_a_second_declined_card_tells_the_customer_again(mug, commit):
    # given an order held because its card was declined, and the customer told
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], payment_token="tok_decline")
    assert (Order.objects.get(pk=order.pk).hold_reason, len(_on_hold_emails(order))) == ("payment_failed", 1)

    # when the new card is declined too
    with commit():
        order_payment_retry(order_id=order.pk, token="tok_decline", actor="shop")

    # then the customer hears of it again
    assert Order.objects.get(pk=order.pk).status == "on_hold"
    assert len(_on_hold_emails(order)) == 2


def test_a_second_hold_for_the_address_is_emailed_again_but_each_only_once(order_in_state, commit):
    # given an order held for its address, released, then held for it again
    order = order_in_state("confirmed")
    manager = StaffFactory(role="manager")
    for name, reason in (("hold", "address_problem"), ("release", None), ("hold", "address_problem")):
        with commit():
            order_transition(order_id=order.pk, name=name, user=manager, hold_reason=reason)

    # when every email task is delivered once more
    for kind in Notification.objects.filter(order=order).values_list("kind", flat=True):
        send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": kind})

    # then two on-hold emails went out, one per hold
    assert len(_on_hold_emails(order)) == 2
    assert order.events.filter(note="Emailed the customer: on hold").count() == 2


def test_the_email_of_an_earlier_hold_is_not_sent_late(order_in_state):
    # given a hold whose email task did not run, released and held again
    order = order_in_state("confirmed")
    manager = StaffFactory(role="manager")
    order_transition(order_id=order.pk, name="hold", user=manager, hold_reason="address_problem")
    first = Notification.objects.get(order=order, kind__startswith="on_hold").kind
    order_transition(order_id=order.pk, name="release", user=manager)
    order_transition(order_id=order.pk, name="hold", user=manager, hold_reason="address_problem")
    mail.outbox.clear()

    # when the first hold's email task finally runs
    send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": first})

    # then it says nothing (the second hold has its own email)
    assert _on_hold_emails(order) == []
