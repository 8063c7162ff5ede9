"""Cancelling: storefronts until fulfillment starts (409 after), staff until the order ships."""

import pytest

from inventory.models import StockItem, StockMovement
from orders.models import LineAllocation, Order
from payments.models import GatewayTransaction, Payment


@pytest.fixture
def confirmed(api, mug, order_body, commit):
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    return Order.objects.get(number=response.json()["number"])


def cancel(client, number, commit, **body):
    with commit():
        return client.post(f"/api/v1/orders/{number}/cancel/", body, format="json")


def test_storefront_cancels_a_confirmed_order(confirmed, api, mug, commit, mailoutbox):
    # when
    response = cancel(api, confirmed.number, commit, reason="Changed my mind")

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    stock = StockItem.objects.get(product=mug)
    assert (stock.on_hand, stock.reserved) == (50, 0)
    assert list(
        StockMovement.objects.filter(reference=confirmed.number, kind="release").values_list(
            "reserved_delta", "on_hand_delta"
        )
    ) == [(-2, 0)]
    assert not LineAllocation.objects.filter(line__order=confirmed, is_released=False).exists()
    assert confirmed.lines.get().quantity_reserved == 0
    payment = Payment.objects.get(order=confirmed)
    assert payment.status == "voided"
    assert GatewayTransaction.objects.filter(payment=payment, kind="void", outcome="succeeded").count() == 1
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.payment_status) == ("cancelled", "voided")
    assert confirmed.cancelled_at is not None
    event = confirmed.events.get(to_status="cancelled")
    assert (event.from_status, event.actor, event.note) == ("confirmed", "storefront:shop", "Changed my mind")
    assert [m.subject for m in mailoutbox][-1] == f"Order {confirmed.number} was cancelled"
    assert mailoutbox[-1].to == ["ann@example.com"]


def test_cancelling_after_funds_were_captured_refunds_them(api, mug, order_body, commit, staff_api):
    # given a bank transfer whose funds arrived
    order_body["payment"] = {"method": "bank_transfer"}
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]
    with commit():
        staff_api("finance").post(f"/api/v1/orders/{number}/transitions/mark_paid/", format="json")

    # when
    response = cancel(api, number, commit)

    # then
    assert response.status_code == 200
    payment = Payment.objects.get(order__number=number)
    assert (payment.status, payment.refunded_amount) == ("refunded", payment.amount)
    assert GatewayTransaction.objects.filter(payment=payment, kind="refund", amount=payment.amount).count() == 1
    order = Order.objects.get(number=number)
    assert (order.payment_status, order.amount_refunded) == ("refunded", order.total)


def test_cancelling_an_order_held_out_of_stock_releases_nothing(api, mug, order_body, commit, mailoutbox):
    # given
    order_body["lines"][0]["quantity"] = 51
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]

    # when
    response = cancel(api, number, commit)

    # then
    assert response.status_code == 200
    assert Order.objects.get(number=number).status == "cancelled"
    assert StockMovement.objects.count() == 0
    assert Payment.objects.get(order__number=number).status == "voided"
    assert [m.subject for m in mailoutbox] == [f"Order {number} was cancelled"]


def test_cancelling_twice_answers_200_and_does_nothing_more(confirmed, api, commit, order_snapshot, mailoutbox):
    # given
    cancel(api, confirmed.number, commit)
    before, mails = order_snapshot(confirmed), len(mailoutbox)

    # when
    response = cancel(api, confirmed.number, commit)

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert order_snapshot(confirmed) == before
    assert len(mailoutbox) == mails


@pytest.mark.parametrize("state", ["fulfilling", "shipped", "in_transit", "delivered", "completed"])
def test_storefront_cannot_cancel_once_fulfillment_started(
    state, api, storefront, order_in_state, order_snapshot, commit, mailoutbox
):
    # given
    order = order_in_state(state, storefront_id=storefront.pk)
    before, mails = order_snapshot(order), len(mailoutbox)

    # when
    response = cancel(api, order.number, commit)

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "too_late_to_cancel"
    assert order_snapshot(order) == before
    assert len(mailoutbox) == mails


def test_staff_can_cancel_while_fulfilling(order_in_state, staff_api, commit, mailoutbox):
    # given
    order = order_in_state("fulfilling")
    stock = StockItem.objects.get(pk=LineAllocation.objects.get(line__order=order).stock_item_id)
    assert stock.reserved == 1
    staff = staff_api("order desk")

    # when
    response = cancel(staff, order.number, commit, reason="Customer called")

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    stock.refresh_from_db()
    assert (stock.on_hand, stock.reserved) == (100, 0)
    assert Payment.objects.get(order=order).status == "voided"
    assert order.events.get(to_status="cancelled").actor == staff.user.username
    assert mailoutbox[-1].subject == f"Order {order.number} was cancelled"


@pytest.mark.parametrize("state", ["shipped", "delivered"])
def test_staff_cannot_cancel_once_shipped(state, order_in_state, staff_api, order_snapshot, commit):
    # given
    order = order_in_state(state)
    before = order_snapshot(order)

    # when
    response = cancel(staff_api("manager"), order.number, commit)

    # then
    assert response.status_code == 409
    assert order_snapshot(order) == before


def test_storefront_cannot_cancel_an_unknown_order(db, api):
    response = api.post("/api/v1/orders/NOSUCH99/cancel/", format="json")

    assert response.status_code == 404
