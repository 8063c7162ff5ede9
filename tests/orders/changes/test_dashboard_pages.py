"""The order page's "Edit lines" page and "Cancel part" form: shown to staff who may change lines while the
order allows it; they change the order through the services and show a refused line beside it."""

import pytest

from orders.models import Order
from tests.orders.changes.conftest import assert_stock_matches_lines, lines_of

pytestmark = pytest.mark.django_db


def rows(*lines, delete=()) -> dict:
    """The formset's POST for ``lines`` ((sku, quantity) pairs); indexes in ``delete`` ticked Remove."""
    data = {"lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0"}
    for index, (sku, quantity) in enumerate(lines):
        data[f"lines-{index}-sku"] = sku
        data[f"lines-{index}-quantity"] = str(quantity)
        if index in delete:
            data[f"lines-{index}-DELETE"] = "on"
    return data


def test_the_order_page_offers_both_to_the_order_desk(staff_client, confirmed):
    order = confirmed()

    page = staff_client("order desk").get(f"/dashboard/orders/{order.number}/").text

    assert f'href="/dashboard/orders/{order.number}/lines/"' in page and ">Edit lines<" in page
    assert "Cancel part…" in page and f'action="/dashboard/orders/{order.number}/cancel-part/"' in page


@pytest.mark.parametrize("role", ["support", "finance", "warehouse"])
def test_roles_without_the_permission_see_neither_and_are_refused(staff_client, confirmed, role):
    order = confirmed()
    client = staff_client(role)

    page = client.get(f"/dashboard/orders/{order.number}/").text
    assert "Edit lines" not in page and "Cancel part" not in page
    assert client.get(f"/dashboard/orders/{order.number}/lines/").status_code == 403
    assert client.post(f"/dashboard/orders/{order.number}/lines/", rows(("MUG-1", 1))).status_code == 403
    response = client.post(f"/dashboard/orders/{order.number}/cancel-part/", {"sku": "MUG-1", "quantity": "1"})
    assert response.status_code == 403
    assert lines_of(order) == {"MUG-1": 2, "TEE-1": 1}


def test_neither_is_offered_once_fulfillment_started(staff_client, order_in_state, catalog):
    order = order_in_state("fulfilling", lines=[("MUG-1", 2)])
    client = staff_client("order desk")

    page = client.get(f"/dashboard/orders/{order.number}/").text
    assert "Edit lines" not in page and "Cancel part" not in page
    response = client.get(f"/dashboard/orders/{order.number}/lines/", follow=True)
    assert "can no longer change" in response.text
    response = client.post(
        f"/dashboard/orders/{order.number}/cancel-part/", {"sku": "MUG-1", "quantity": "1"}, follow=True
    )
    assert "its lines can no longer change" in response.text
    assert lines_of(order) == {"MUG-1": 2}


def test_the_edit_page_shows_the_lines_and_saves_the_new_set(staff_client, confirmed, commit):
    order = confirmed()
    client = staff_client("order desk")

    page = client.get(f"/dashboard/orders/{order.number}/lines/").text
    assert 'value="MUG-1"' in page and 'value="TEE-1"' in page and "Add a row" in page

    # more mugs, the tee removed, a cap added
    with commit():
        response = client.post(
            f"/dashboard/orders/{order.number}/lines/",
            rows(("MUG-1", 3), ("TEE-1", 1), ("CAP-1", 1), delete=(1,)),
            follow=True,
        )

    assert f"Order {order.number} changed: it comes to 50.45 USD now." in response.text
    assert lines_of(order) == {"MUG-1": 3, "CAP-1": 1}
    assert_stock_matches_lines(order)
    assert "Lines changed: MUG-1 2→3, TEE-1 removed, CAP-1 ×1 added" in response.text  # on the timeline


def test_add_a_row_keeps_what_was_typed_and_saves_nothing(staff_client, confirmed):
    order = confirmed()

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/lines/", {**rows(("MUG-1", 4), ("TEE-1", 1)), "add": "1"}
    )

    assert response.status_code == 200
    assert 'name="lines-TOTAL_FORMS" value="3"' in response.text
    assert 'value="4"' in response.text
    assert lines_of(order) == {"MUG-1": 2, "TEE-1": 1}


def test_a_refused_line_is_shown_beside_its_row(staff_client, confirmed, order_snapshot):
    order = confirmed()
    before = order_snapshot(order)

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/lines/", rows(("MUG-1", 2), ("NOPE", 1), ("CAP-1", 9))
    )

    assert response.status_code == 400
    assert "Unknown SKU &#x27;NOPE&#x27;." in response.text
    assert 'id="id_lines-1-sku-error"' in response.text
    assert order_snapshot(order) == before


def test_stock_short_is_shown_beside_the_quantity(staff_client, confirmed, order_snapshot):
    order = confirmed()
    before = order_snapshot(order)

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/lines/", rows(("MUG-1", 2), ("CAP-1", 9))
    )

    assert response.status_code == 400
    assert 'id="id_lines-1-quantity-error">Only 3 available.' in response.text
    assert order_snapshot(order) == before


def test_cancel_part_from_the_order_page(staff_client, confirmed, commit):
    order = confirmed()

    with commit():
        response = staff_client("order desk").post(
            f"/dashboard/orders/{order.number}/cancel-part/",
            {"sku": ["MUG-1", "TEE-1"], "quantity": ["1", ""], "part-reason": "Out of budget"},
            follow=True,
        )

    assert f"Order {order.number} changed: it comes to 37.45 USD now." in response.text
    assert "Part cancelled: MUG-1 2→1; total 49.95 → 37.45 USD." in response.text
    assert "Reason: Out of budget" in response.text
    assert lines_of(order) == {"MUG-1": 1, "TEE-1": 1}
    assert_stock_matches_lines(order)
    assert Order.objects.get(pk=order.pk).status == "confirmed"


def test_cancel_part_asking_too_many_is_shown_on_the_form(staff_client, confirmed, order_snapshot):
    order = confirmed()
    before = order_snapshot(order)

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/cancel-part/", {"sku": ["MUG-1", "TEE-1"], "quantity": ["5", ""]}
    )

    assert response.status_code == 400
    assert "MUG-1: Only 2 on the order." in response.text
    assert order_snapshot(order) == before


def test_cancel_part_without_any_quantity_asks_for_one(staff_client, confirmed):
    order = confirmed()

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/cancel-part/", {"sku": ["MUG-1", "TEE-1"], "quantity": ["", "0"]}
    )

    assert response.status_code == 400
    assert "Enter how many units of which line to cancel." in response.text
