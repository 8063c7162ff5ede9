"""A customer cancels from the portal while the warehouse has not started; after that the page says why not."""

import pytest

from orders.models import Order


@pytest.mark.parametrize("state", ["confirmed", "on_hold", "credit_approved"])
def test_cancel_asks_to_confirm_then_cancels(state, client, order_in_state, link, mailoutbox, commit):
    # given
    order = order_in_state(state)
    assert "Cancel this order" in client.get(link(order)).content.decode()

    # when: the confirmation step, then the confirmation
    confirm = client.get(link(order, "cancel"))
    with commit():
        response = client.post(link(order, "cancel"), {"reason": "Found it cheaper"}, follow=True)

    # then
    assert confirm.status_code == 200
    assert "Yes, cancel my order" in confirm.content.decode()
    assert response.status_code == 200
    assert "Your order is cancelled." in response.content.decode()
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "cancelled"
    assert fresh.events.filter(actor="customer", note="Cancelled by the customer: Found it cheaper").exists()
    assert mailoutbox[-1].subject == f"Order {order.number} was cancelled"


def test_the_reason_is_optional(client, order_in_state, link):
    # given
    order = order_in_state("confirmed")

    # when
    client.post(link(order, "cancel"), {"reason": ""})

    # then
    assert Order.objects.get(pk=order.pk).events.filter(note="Cancelled by the customer").exists()


@pytest.mark.parametrize("state", ["fulfilling", "shipped", "delivered", "completed"])
def test_too_late_to_cancel_is_explained_and_changes_nothing(state, order_in_state, page_then_forced, order_snapshot):
    # given
    order = order_in_state(state)
    before = order_snapshot(order)

    # when: the page, then a forced cancel
    page, answer = page_then_forced(order, "cancel", {"reason": "please"})

    # then
    assert "Cancel this order" not in page
    assert "can no longer be cancelled" in page
    assert "can no longer be cancelled" in answer
    assert order_snapshot(order) == before


def test_a_cancelled_order_cannot_be_cancelled_again(client, order_in_state, link, order_snapshot):
    # given
    order = order_in_state("cancelled")
    before = order_snapshot(order)

    # when
    response = client.post(link(order, "cancel"), follow=True)

    # then
    assert "This order is cancelled." in response.content.decode()
    assert order_snapshot(order) == before


def test_a_reason_too_long_is_answered_beside_the_field(client, order_in_state, link, order_snapshot):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when
    response = client.post(link(order, "cancel"), {"reason": "x" * 501})

    # then
    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters" in response.content.decode()
    assert order_snapshot(order) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_busy_order_asks_to_try_again(client, order_in_state, link, order_snapshot, order_locked_elsewhere):
    # given
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    # when the customer cancels while someone else holds the order's row (NOWAIT gives up at once)
    with order_locked_elsewhere(order):
        response = client.post(link(order, "cancel"), {"reason": ""}, follow=True)

    # then
    assert response.status_code == 200
    assert "Someone else is changing this order right now" in response.content.decode()
    assert order_snapshot(order) == before
