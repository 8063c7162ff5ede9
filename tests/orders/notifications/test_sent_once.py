"""Each kind goes out exactly once per order, however often its task or its cause repeats."""

import pytest

from orders.models import Notification
from orders.services import inquiry_answer, inquiry_create, order_transition
from orders.tasks import send_order_email_task
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory


def kinds_sent(mailoutbox, order) -> list[str]:
    return [m.subject.replace(order.number, "N") for m in mailoutbox if order.number in m.subject]


@pytest.mark.parametrize(
    ("state", "kind"),
    [("confirmed", "confirmation"), ("shipped", "shipped"), ("delivered", "delivered"), ("cancelled", "cancelled")],
)
def test_a_task_run_again_sends_nothing_more(state, kind, order_in_state, mailoutbox):
    # given
    order = order_in_state(state)
    sent = len(mailoutbox)

    # when: the task is delivered twice more (a worker lost, the relay job)
    for _ in range(2):
        assert send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": kind}).successful()

    # then
    assert len(mailoutbox) == sent
    assert Notification.objects.get(order=order, kind=kind).attempts == 1
    assert order.events.filter(note=f"Emailed the customer: {kind}").count() == 1


def test_out_for_delivery_goes_once_for_an_order_of_two_parcels(order_in_state, carrier_event, mailoutbox, commit):
    # given: two warehouses, so two parcels
    east = WarehouseFactory(code="EAST", priority=2)
    products = [
        StockItemFactory(product=ProductFactory(), warehouse=WarehouseFactory(code="MAIN")).product,
        StockItemFactory(product=ProductFactory(), warehouse=east).product,
    ]
    order = order_in_state("in_transit", lines=[(p.sku, 1) for p in products])
    assert order.shipments.count() == 2

    # when: both parcels go out, and the carrier repeats itself
    with commit():
        carrier_event(order, "out_for_delivery")
    with commit():
        carrier_event(order, "out_for_delivery")

    # then
    assert kinds_sent(mailoutbox, order).count("Order N is out for delivery today") == 1


def test_one_reply_email_per_answered_inquiry(order_in_state, mailoutbox, commit):
    # given: two questions
    order = order_in_state("confirmed")
    agent = StaffFactory(role="support")
    first = inquiry_create(order_id=order.pk, message="One?")
    second = inquiry_create(order_id=order.pk, message="Two?")

    # when: both answered, and the first reply's task runs again
    with commit():
        inquiry_answer(inquiry_id=first.pk, user=agent, answer="One.")
    with commit():
        inquiry_answer(inquiry_id=second.pk, user=agent, answer="Two.")
    send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": f"inquiry_reply:{first.pk}"})

    # then
    assert kinds_sent(mailoutbox, order).count("Re: your message about order N") == 2


def test_a_second_hold_for_the_same_kind_of_reason_is_told_again(order_in_state, mailoutbox, commit):
    # given: held, told, released
    order = order_in_state("confirmed")
    manager = StaffFactory(role="manager")
    with commit():
        order_transition(order_id=order.pk, name="hold", user=manager, hold_reason="address_problem")
    with commit():
        order_transition(order_id=order.pk, name="release", user=manager)

    # when
    with commit():
        order_transition(order_id=order.pk, name="hold", user=manager, hold_reason="address_problem")

    # then: once per hold (test_on_hold_each_time.py has the rest)
    assert kinds_sent(mailoutbox, order).count("Order N is on hold: we need your help") == 2


def test_a_whole_lifecycle_sends_each_kind_once_in_order(order_in_state, carrier_event, mailoutbox, commit):
    # given
    order = order_in_state("in_transit")

    # when
    with commit():
        carrier_event(order, "out_for_delivery")
    with commit():
        carrier_event(order, "delivered")
    with commit():
        carrier_event(order, "out_for_delivery", event_id="late-resend")

    # then
    assert kinds_sent(mailoutbox, order) == [
        "Order N confirmed",
        "Order N has shipped",
        "Order N is out for delivery today",
        "Order N was delivered",
    ]
