"""POST /api/v1/orders/<number>/cancel/ with lines: part of the order is cancelled, the rest goes on."""

from decimal import Decimal

import pytest

from orders.models import Order
from payments.models import Payment
from tests.orders.changes.conftest import (
    assert_stock_matches_lines,
    assert_totals_match_lines,
    change_note,
    lines_of,
    reserved_of,
)

pytestmark = pytest.mark.django_db


def cancel(client, order, body, **headers):
    return client.post(f"/api/v1/orders/{order.number}/cancel/", body, format="json", **headers)


@pytest.fixture
def order(confirmed):
    """A confirmed card order: 2 mugs and a tee, 49.95 authorized."""
    return confirmed()


def test_cancelling_part_releases_its_stock_and_the_card_captures_less(api, staff_api, order, commit):
    # when staff cancel one mug and the tee
    with commit():
        response = cancel(
            staff_api("order desk"),
            order,
            {"lines": [{"sku": "MUG-1", "quantity": 1}, {"sku": "TEE-1", "quantity": 1}], "reason": "Customer asked"},
        )

    # then one mug remains, the order goes on, its stock and totals match, and the card will capture 17.45
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["total"]) == ("confirmed", "17.45")
    assert [(line["sku"], line["quantity"]) for line in body["lines"]] == [("MUG-1", 1)]
    assert (reserved_of("MUG-1"), reserved_of("TEE-1")) == (1, 0)
    assert_stock_matches_lines(order)
    assert_totals_match_lines(order)
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.authorized_amount) == (Decimal("17.45"), Decimal("49.95"))
    assert change_note(order, "Part cancelled") == (
        "Part cancelled: MUG-1 2→1, TEE-1 removed; total 49.95 → 17.45 USD. "
        "17.45 USD of the 49.95 authorized will be captured; 32.50 is released. Reason: Customer asked"
    )


def test_a_storefront_cancels_part_of_its_own_order(api, catalog, order_body, commit):
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 3}]
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]

    with commit():
        response = cancel(api, Order.objects.get(number=number), {"lines": [{"sku": "MUG-1", "quantity": 2}]})

    assert response.status_code == 200, response.content
    assert [(line["sku"], line["quantity"]) for line in response.json()["lines"]] == [("MUG-1", 1)]
    assert reserved_of("MUG-1") == 1


def test_cancelling_every_remaining_unit_cancels_the_order(staff_api, order, commit):
    # when staff cancel both mugs and the tee
    with commit():
        response = cancel(
            staff_api("order desk"),
            order,
            {"lines": [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1}]},
        )

    # then it is the whole cancel: cancelled, stock released, the authorization voided, the cancelled email
    assert response.status_code == 200, response.content
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.payment_status) == ("cancelled", "voided")
    assert (reserved_of("MUG-1"), reserved_of("TEE-1")) == (0, 0)
    assert lines_of(order) == {"MUG-1": 2, "TEE-1": 1}  # the cancelled order keeps what it was
    assert order.notifications.filter(kind="cancelled").exists()


def test_without_lines_the_whole_order_is_cancelled_as_before(api, catalog, order_body, commit):
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]

    with commit():
        response = cancel(api, Order.objects.get(number=number), {"reason": "changed my mind"})

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([{"sku": "MUG-1", "quantity": 3}], {"lines": {"0": {"quantity": ["Only 2 on the order."]}}}),
        (
            [{"sku": "MUG-1", "quantity": 1}, {"sku": "CAP-1", "quantity": 1}],
            {"lines": {"1": {"sku": ["'CAP-1' is not on this order."]}}},
        ),
        (
            [{"sku": "MUG-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 1}],
            {"lines": {"1": {"sku": ["'MUG-1' appears twice; put the whole quantity on one line."]}}},
        ),
    ],
    ids=["more-than-on-the-line", "not-on-the-order", "twice"],
)
def test_a_bad_part_cancel_is_named_and_changes_nothing(staff_api, order, order_snapshot, lines, errors):
    before = order_snapshot(order)

    response = cancel(staff_api("order desk"), order, {"lines": lines})

    assert (response.status_code, response.json()) == (400, errors)
    assert order_snapshot(order) == before


def test_part_cancel_after_fulfillment_started_is_refused(order_in_state, catalog, staff_api, order_snapshot):
    order = order_in_state("fulfilling", lines=[("MUG-1", 2)])
    before = order_snapshot(order)

    response = cancel(staff_api("manager"), order, {"lines": [{"sku": "MUG-1", "quantity": 1}]})

    assert response.status_code == 409, response.content
    assert order_snapshot(order) == before


def test_staff_without_the_permission_may_not_cancel_part(staff_api, order):
    # support may cancel whole orders but not change lines
    response = cancel(staff_api("support"), order, {"lines": [{"sku": "MUG-1", "quantity": 1}]})

    assert response.status_code == 403, response.content
    assert lines_of(order) == {"MUG-1": 2, "TEE-1": 1}


def test_a_paid_transfer_cancelled_in_part_shows_the_refund_due(catalog, order_in_state, staff_api, commit):
    from orders import services
    from tests.factories import StaffFactory

    order = order_in_state("credit_approved", lines=[("MUG-1", 2), ("TEE-1", 1)])
    services.order_mark_paid(order_id=order.pk, user=StaffFactory(role="finance"))

    with commit():
        response = cancel(staff_api("order desk"), order, {"lines": [{"sku": "TEE-1", "quantity": 1}]})

    assert response.status_code == 200, response.content
    assert (response.json()["payment"]["refund_due"], response.json()["total"]) == ("20.00", "29.95")


def test_a_retried_part_cancel_cancels_once(api, catalog, order_body, commit):
    order_body["lines"] = [{"sku": "MUG-1", "quantity": 3}]
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]
    order = Order.objects.get(number=number)
    body = {"lines": [{"sku": "MUG-1", "quantity": 1}]}

    with commit():
        first = cancel(api, order, body, HTTP_IDEMPOTENCY_KEY="cancel-1")
    again = cancel(api, order, body, HTTP_IDEMPOTENCY_KEY="cancel-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert lines_of(order) == {"MUG-1": 2}
