"""An order on hold for another reason than stock (staff, payment, fraud review) takes none of the stock that
arrives while it is held: the orders going ahead get it. Released, it takes its turn among those still waiting."""

from inventory.services import stock_receipt_book
from tests.orders.backorders.conftest import waiting


def test_a_held_order_is_passed_over_and_served_once_released(place, lamp, commit, staff_api):
    # given all 5 lamps are taken, an older order waits for 2 and staff put it on hold, a younger one waits for 2
    place([("LAMP-1", 5)], ship_partial=True)
    held = place([("LAMP-1", 2)], ship_partial=True).order
    going = place([("LAMP-1", 2)], ship_partial=True).order
    manager = staff_api("manager")
    with commit():
        response = manager.post(
            f"/api/v1/orders/{held.number}/transitions/hold/", {"reason": "Address to check"}, format="json"
        )
    assert response.status_code == 200, response.content

    # when 3 lamps arrive
    with commit():
        stock_receipt_book(warehouse_code="MAIN", reference="PO-21", lines=[("LAMP-1", 3)], actor="clerk")

    # then the younger order gets its 2 and the held one none, though it is older
    assert waiting(going) == [("LAMP-1", 2, 2, 0)]
    assert waiting(held) == [("LAMP-1", 2, 0, 2)]

    # when staff release it, it gets the lamp that is left at once, and waits for the other
    with commit():
        response = manager.post(f"/api/v1/orders/{held.number}/transitions/release/", {}, format="json")
    assert response.status_code == 200, response.content
    assert waiting(held) == [("LAMP-1", 2, 1, 1)]
