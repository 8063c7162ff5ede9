"""An order that ships in parts leaves in several shipments; it stays fulfilling until the last one."""

from inventory.models import StockItem, StockMovement
from orders.models import OrderEvent
from shipping.models import Shipment
from tests.orders.partial_shipments.conftest import shipped_by_line, stock_arrives


def test_two_shipments_ship_what_is_in_stock_then_the_rest(partial_order, ship_available, shelf):
    # given 3 cups (2 in stock) and 1 pot (in stock)
    order = partial_order([("PS-CUP", 3, 2), ("PS-POT", 1, 1)])
    on_hand = StockItem.objects.get(product__sku="PS-CUP").on_hand

    # when the first shipment leaves
    order = ship_available(order)

    # then the order is still being fulfilled, and each line counts what left
    assert order.status == "fulfilling"
    assert order.shipped_at is None
    assert shipped_by_line(order) == {"PS-CUP": (2, 2, 1), "PS-POT": (1, 1, 0)}
    assert StockItem.objects.get(product__sku="PS-CUP").on_hand == on_hand - 2
    assert StockMovement.objects.filter(reference=order.number, kind="ship").count() == 2  # a cup row, a pot row
    first = Shipment.objects.get(order=order)
    assert first.contents == [{"sku": "PS-CUP", "quantity": 2}, {"sku": "PS-POT", "quantity": 1}]
    assert first.tracking_number, "each shipment has its own label"
    note = OrderEvent.objects.get(order=order, note__startswith="Shipment 1:").note
    assert note.startswith("Shipment 1: PS-CUP × 2, PS-POT × 1 in 1 parcel(s), 1 unit(s) still to ship.")
    assert not order.events.filter(to_status="shipped").exists()

    # when the last cup comes in and ships
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)

    # then the order has shipped, in two shipments with their own tracking
    assert order.status == "shipped"
    assert order.shipped_at is not None
    assert shipped_by_line(order) == {"PS-CUP": (3, 3, 0), "PS-POT": (1, 1, 0)}
    shipments = list(Shipment.objects.filter(order=order).order_by("pk"))
    assert [s.contents for s in shipments] == [
        [{"sku": "PS-CUP", "quantity": 2}, {"sku": "PS-POT", "quantity": 1}],
        [{"sku": "PS-CUP", "quantity": 1}],
    ]
    assert len({s.tracking_number for s in shipments}) == 2
    assert StockItem.objects.get(product__sku="PS-CUP").on_hand == on_hand - 3
    last = order.events.get(to_status="shipped")
    assert last.from_status == "fulfilling"
    assert last.note.startswith("Shipment 2: PS-CUP × 1 in 1 parcel(s), everything has shipped.")


def test_three_shipments(partial_order, ship_available, shelf):
    # given 4 cups of which 1 in stock, 2 tins of which none
    order = partial_order([("PS-CUP", 4, 1), ("PS-TIN", 2, 0), ("PS-POT", 1, 1)])

    # when: what is there ships, then stock comes in twice, each time shipped
    order = ship_available(order)
    assert (order.status, shipped_by_line(order)) == (
        "fulfilling",
        {"PS-CUP": (1, 1, 3), "PS-TIN": (0, 0, 2), "PS-POT": (1, 1, 0)},
    )
    stock_arrives(order, "PS-CUP", 3)
    stock_arrives(order, "PS-TIN", 1)
    order = ship_available(order)
    assert (order.status, shipped_by_line(order)) == (
        "fulfilling",
        {"PS-CUP": (4, 4, 0), "PS-TIN": (1, 1, 1), "PS-POT": (1, 1, 0)},
    )
    assert order.events.filter(note__startswith="Shipment 2: PS-CUP × 3, PS-TIN × 1").exists()
    assert "1 unit(s) still to ship" in order.events.get(note__startswith="Shipment 2:").note
    stock_arrives(order, "PS-TIN", 1)
    order = ship_available(order)

    # then
    assert order.status == "shipped"
    assert shipped_by_line(order) == {"PS-CUP": (4, 4, 0), "PS-TIN": (2, 2, 0), "PS-POT": (1, 1, 0)}
    assert Shipment.objects.filter(order=order).count() == 3
    assert order.events.get(to_status="shipped").note.startswith("Shipment 3: PS-TIN × 1")


def test_an_order_in_stock_ships_whole_as_before(order_in_state, ship_available, shelf):
    # given everything in stock
    order = order_in_state("fulfilling", lines=[("PS-CUP", 2), ("PS-POT", 1)])

    # when
    order = ship_available(order)

    # then one shipment takes the ship transition, without a "Shipment 1" count
    assert order.status == "shipped"
    assert shipped_by_line(order) == {"PS-CUP": (2, 2, 0), "PS-POT": (1, 1, 0)}
    assert not order.events.filter(note__startswith="Shipment 1:").exists()


def test_nothing_in_stock_nothing_to_pack(partial_order, clerk, warehouse, shelf, order_snapshot):
    # given an order that may ship in parts, none of it in stock yet
    import pytest

    from orders.exceptions import TransitionNotAvailable
    from orders.services import ParcelInput, order_pack_and_ship

    order = partial_order([("PS-CUP", 2, 0)])
    before = order_snapshot(order)

    # when / then
    with pytest.raises(TransitionNotAvailable, match="Nothing of order .* is ready to ship"):
        order_pack_and_ship(
            order_id=order.pk,
            user=clerk,
            parcels=[ParcelInput(warehouse_id=warehouse.pk, weight_kg=1, contents={"PS-CUP": 2})],
            service="standard",
            packed=[],
        )
    assert order_snapshot(order) == before


def test_a_partly_shipped_order_cannot_be_cancelled(partial_order, ship_available, clerk, shelf, order_snapshot):
    import pytest

    from orders.exceptions import TransitionNotAvailable
    from orders.services import order_transition

    # given
    order = ship_available(partial_order([("PS-CUP", 3, 2)]))
    before = order_snapshot(order)

    # when / then
    with pytest.raises(TransitionNotAvailable, match="Part of order .* has shipped"):
        order_transition(order_id=order.pk, name="cancel", user=clerk, reason="changed my mind")
    assert order_snapshot(order) == before
