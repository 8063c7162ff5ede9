"""order_pack_and_ship: parcels as packed, checked against what is left to ship, then the order ships."""

from decimal import Decimal

import pytest

from inventory.models import StockItem
from oms.exceptions import InvalidInput
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import LineAllocation, Order, OrderEvent
from orders.services import ParcelInput, order_pack_and_ship
from shipping.models import Shipment
from tests.factories import StaffFactory


def allocations_of(order) -> dict[str, LineAllocation]:
    return {a.line.sku: a for a in LineAllocation.objects.filter(line__order=order).select_related("line")}


def pack(order, user, parcels: list[ParcelInput], *, service: str = "standard", packed=None, reason: str = ""):
    """Pack and ship as a packer who ticked every line (or only ``packed``, allocation ids)."""
    if packed is None:
        packed = list(LineAllocation.objects.filter(line__order=order).values_list("pk", flat=True))
    return order_pack_and_ship(
        order_id=order.pk, user=user, parcels=parcels, service=service, packed=packed, reason=reason
    )


@pytest.fixture
def packer(db):
    return StaffFactory(role="warehouse", username="walt")


@pytest.fixture
def kitchen_order(order_in_state, kitchen):
    """Fulfilling: 2 mugs and 1 skillet, all from MAIN, customer chose standard."""
    return order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])


def test_two_parcels_from_one_warehouse(kitchen_order, packer, warehouse, commit):
    # given
    on_hand = dict(StockItem.objects.values_list("product__sku", "on_hand"))

    # when
    with commit():
        pack(
            kitchen_order,
            packer,
            [
                ParcelInput(warehouse_id=warehouse.pk, weight_kg=Decimal("0.95"), contents={"KIT-MUG": 2}),
                ParcelInput(warehouse_id=warehouse.pk, weight_kg=Decimal("2.7"), contents={"KIT-PAN": 1}),
            ],
        )

    # then
    order = Order.objects.get(pk=kitchen_order.pk)
    assert order.status == "shipped"
    shipments = list(Shipment.objects.filter(order=order).order_by("pk"))
    assert [(s.warehouse_id, s.contents, s.weight_kg, s.service) for s in shipments] == [
        (warehouse.pk, [{"sku": "KIT-MUG", "quantity": 2}], Decimal("0.950"), "standard"),
        (warehouse.pk, [{"sku": "KIT-PAN", "quantity": 1}], Decimal("2.700"), "standard"),
    ]
    assert all(s.tracking_number for s in shipments), "labels are bought after commit"
    after = dict(StockItem.objects.values_list("product__sku", "on_hand"))
    assert after["KIT-MUG"] == on_hand["KIT-MUG"] - 2
    assert after["KIT-PAN"] == on_hand["KIT-PAN"] - 1
    packing = OrderEvent.objects.get(order=order, note__startswith="Packed 2 parcel(s)")
    assert packing.actor == "walt"
    assert "MAIN #1 0.95 kg (KIT-MUG × 2)" in packing.note
    assert OrderEvent.objects.filter(order=order, from_status="fulfilling", to_status="shipped").exists()


def test_split_order_ships_a_parcel_from_each_warehouse(order_in_state, kitchen, lamp, packer, warehouse, commit):
    # given an order MAIN cannot serve alone
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 1), ("HOM-LMP", 2)])
    assert {a.warehouse.code for a in allocations_of(order).values()} == {"MAIN", "WEST"}
    west = lamp.stock_items.get().warehouse_id

    # when
    with commit():
        pack(
            order,
            packer,
            [
                ParcelInput(warehouse_id=warehouse.pk, weight_kg=Decimal("0.5"), contents={"KIT-MUG": 1}),
                ParcelInput(warehouse_id=west, weight_kg=Decimal("3.3"), contents={"HOM-LMP": 2}),
            ],
        )

    # then
    shipments = Shipment.objects.filter(order=order).select_related("warehouse").order_by("pk")
    assert [(s.warehouse.code, s.contents) for s in shipments] == [
        ("MAIN", [{"sku": "KIT-MUG", "quantity": 1}]),
        ("WEST", [{"sku": "HOM-LMP", "quantity": 2}]),
    ]
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_chosen_service_other_than_the_customers(kitchen_order, packer, warehouse, commit):
    # given the customer chose standard
    assert kitchen_order.shipping_method == "standard"

    # when the warehouse upgrades to express
    with commit():
        pack(
            kitchen_order,
            packer,
            [ParcelInput(warehouse.pk, Decimal("3.4"), {"KIT-MUG": 2, "KIT-PAN": 1})],
            service="express",
            reason="Late: upgraded",
        )

    # then
    assert list(Shipment.objects.filter(order=kitchen_order).values_list("service", "carrier")) == [("express", "demo")]
    assert OrderEvent.objects.filter(order=kitchen_order, to_status="shipped", note="Late: upgraded").exists()


def test_contents_not_adding_up_is_refused_and_names_what_differs(
    kitchen_order, packer, warehouse, order_snapshot, commit
):
    # given
    before = order_snapshot(kitchen_order)

    # when one mug is missing from the parcels
    with pytest.raises(InvalidInput) as error, commit():
        pack(kitchen_order, packer, [ParcelInput(warehouse.pk, Decimal("2.9"), {"KIT-MUG": 1, "KIT-PAN": 1})])

    # then
    assert error.value.fields == {"contents.MAIN.KIT-MUG": ["KIT-MUG from MAIN: the parcels hold 1, 2 to ship."]}
    assert "KIT-MUG" in error.value.message
    assert order_snapshot(kitchen_order) == before
    assert Order.objects.get(pk=kitchen_order.pk).status == "fulfilling"
    assert not Shipment.objects.filter(order=kitchen_order).exists()


def test_more_than_to_ship_is_refused(kitchen_order, packer, warehouse, order_snapshot):
    before = order_snapshot(kitchen_order)

    with pytest.raises(InvalidInput) as error:
        pack(kitchen_order, packer, [ParcelInput(warehouse.pk, Decimal("4"), {"KIT-MUG": 3, "KIT-PAN": 1})])

    assert error.value.fields == {"contents.MAIN.KIT-MUG": ["KIT-MUG from MAIN: the parcels hold 3, 2 to ship."]}
    assert order_snapshot(kitchen_order) == before


def test_unconfirmed_line_is_refused(kitchen_order, packer, warehouse, order_snapshot):
    # given
    before = order_snapshot(kitchen_order)
    allocations = allocations_of(kitchen_order)

    # when the skillet line was not ticked
    with pytest.raises(InvalidInput) as error:
        pack(
            kitchen_order,
            packer,
            [ParcelInput(warehouse.pk, Decimal("3.4"), {"KIT-MUG": 2, "KIT-PAN": 1})],
            packed=[allocations["KIT-MUG"].pk],
        )

    # then
    assert error.value.fields == {
        f"packed.{allocations['KIT-PAN'].pk}": ["Confirm that 1 × KIT-PAN from MAIN is packed."]
    }
    assert order_snapshot(kitchen_order) == before


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (None, "Enter the parcel's weight in kg."),
        (Decimal("0"), "The weight must be more than 0 kg."),
        (Decimal("-1"), "The weight must be more than 0 kg."),
        (Decimal("70.001"), "A parcel may weigh at most 70 kg: split it."),
        (Decimal("1.0001"), "Give the weight to the gram (at most 3 decimals)."),
        (Decimal("NaN"), "Enter the parcel's weight in kg."),
    ],
)
def test_weights_must_be_sane(weight, message, kitchen_order, packer, warehouse, order_snapshot):
    before = order_snapshot(kitchen_order)

    with pytest.raises(InvalidInput) as error:
        pack(
            kitchen_order,
            packer,
            [
                ParcelInput(warehouse.pk, Decimal("1"), {"KIT-MUG": 2}),
                ParcelInput(warehouse.pk, weight, {"KIT-PAN": 1}),
            ],
        )

    assert error.value.fields == {"parcels.1.weight_kg": [message]}
    assert order_snapshot(kitchen_order) == before


def test_empty_parcel_foreign_sku_unknown_warehouse_and_service_are_each_named(
    kitchen_order, packer, warehouse, second_warehouse, order_snapshot
):
    before = order_snapshot(kitchen_order)

    with pytest.raises(InvalidInput) as error:
        pack(
            kitchen_order,
            packer,
            [
                ParcelInput(warehouse.pk, Decimal("3.4"), {"KIT-MUG": 2, "KIT-PAN": 1, "OTHER-1": 1}),
                ParcelInput(warehouse.pk, Decimal("1"), {"KIT-MUG": 0}),
                ParcelInput(second_warehouse.pk, Decimal("1"), {"KIT-MUG": 1}),
            ],
            service="teleport",
        )

    assert error.value.fields == {
        "parcels.0.contents": ["OTHER-1 is not to ship from MAIN."],
        "parcels.1.contents": ["This parcel is empty: put something in it or remove it."],
        "parcels.2.warehouse": ["Nothing of this order is left to ship from that warehouse."],
        "service": ["Choose one of the active shipping methods."],
    }
    assert order_snapshot(kitchen_order) == before


def test_no_parcels_is_refused(kitchen_order, packer, order_snapshot):
    before = order_snapshot(kitchen_order)

    with pytest.raises(InvalidInput) as error:
        pack(kitchen_order, packer, [])

    assert "parcels" in error.value.fields
    assert order_snapshot(kitchen_order) == before


@pytest.mark.parametrize("state", ["confirmed", "shipped", "cancelled"])
def test_wrong_state_is_a_conflict(state, order_in_state, packer, warehouse, order_snapshot):
    # given
    order = order_in_state(state)
    before = order_snapshot(order)

    # when
    with pytest.raises(TransitionNotAvailable) as error:
        pack(order, packer, [ParcelInput(warehouse.pk, Decimal("1"), {order.lines.get().sku: 1})])

    # then
    assert error.value.kind == "conflict"
    assert order_snapshot(order) == before


@pytest.mark.parametrize("role", ["finance", "support", None])
def test_without_ship_permission_is_forbidden(role, kitchen_order, warehouse, order_snapshot):
    # given
    before = order_snapshot(kitchen_order)

    # when
    with pytest.raises(TransitionForbidden):
        pack(
            kitchen_order,
            StaffFactory(role=role),
            [ParcelInput(warehouse.pk, Decimal("3.4"), {"KIT-MUG": 2, "KIT-PAN": 1})],
        )

    # then
    assert order_snapshot(kitchen_order) == before
