"""Quality control between packing and shipping: a pass ships as packed, a fail re-picks or holds the order,
orders without QC ship in one step as before."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory.models import StockMovement
from oms.exceptions import InvalidInput
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import LineAllocation, Order
from orders.services import ParcelInput, order_pack_and_ship, order_quality_check, order_transition
from shipping.models import QualityCheck, Shipment
from shipping.selectors import qc_counts_by_product, quality_check_pending_for_order
from shipping.services import QcLineResult
from tests.factories import ProductFactory, StaffFactory, StockItemFactory

OK = {"Item matches SKU": True, "No damage": True}


@pytest.fixture
def camera(warehouse):
    """A product that needs a check with its serial number recorded."""
    product = ProductFactory(
        sku="CAM-1", name="Camera", weight_kg=Decimal("0.800"), requires_qc=True, qc_checks=["serial"]
    )
    StockItemFactory(product=product, warehouse=warehouse, on_hand=10)
    return product


@pytest.fixture
def inspector(db):
    return StaffFactory(role="warehouse", username="ines")


def pack(order, user, *, weight="1.2"):
    """Pack everything of ``order`` in one parcel from MAIN by standard."""
    allocations = list(LineAllocation.objects.filter(line__order=order).select_related("line"))
    return order_pack_and_ship(
        order_id=order.pk,
        user=user,
        parcels=[
            ParcelInput(
                warehouse_id=allocations[0].warehouse_id,
                weight_kg=Decimal(weight),
                contents={a.line.sku: a.quantity for a in allocations},
            )
        ],
        service="standard",
        packed=[a.pk for a in allocations],
    )


def results(check, **by_sku):
    """Every line of ``check`` passed, unless ``by_sku`` gives its result."""
    return {line.pk: by_sku.get(line.sku, QcLineResult(checks=OK, serial="SN-1")) for line in check.lines.all()}


@pytest.fixture
def packed(order_in_state, camera, mug, inspector, commit):
    """A camera and two mugs packed: the camera waits for its check."""
    order = order_in_state("fulfilling", lines=[("CAM-1", 1), ("MUG-1", 2)])
    with commit():
        pack(order, inspector)
    return Order.objects.get(pk=order.pk)


def test_packing_a_qc_order_waits_for_the_check(packed):
    # then nothing shipped yet; one line to check, the camera's, with the serial to record
    assert packed.status == "fulfilling"
    assert not Shipment.objects.filter(order=packed).exists()
    check = quality_check_pending_for_order(order_id=packed.pk)
    assert [
        (line.sku, line.quantity, [c["name"] for c in line.checks], line.records) for line in check.lines.all()
    ] == [("CAM-1", 1, ["Item matches SKU", "No damage"], ["serial"])]
    assert packed.events.filter(note__startswith="Packed: waiting for its quality check").exists()


def test_a_pass_ships_the_parcels_as_packed(packed, inspector, commit):
    # given
    check = quality_check_pending_for_order(order_id=packed.pk)

    # when
    with commit():
        order_quality_check(order_id=packed.pk, user=inspector, results=results(check))

    # then
    order = Order.objects.get(pk=packed.pk)
    assert order.status == "shipped"
    shipment = Shipment.objects.get(order=order)
    assert (shipment.weight_kg, shipment.service) == (Decimal("1.200"), "standard")
    assert shipment.contents == [{"sku": "CAM-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 2}]
    assert shipment.tracking_number, "labels are bought after commit"
    check.refresh_from_db()
    assert (check.status, check.inspector) == ("passed", "ines")
    assert check.checked_at is not None
    assert check.lines.get().serial == "SN-1"


def test_a_fail_sends_the_line_back_to_picking(packed, inspector, commit):
    # given
    check = quality_check_pending_for_order(order_id=packed.pk)
    scratched = QcLineResult(checks={"Item matches SKU": True, "No damage": False}, note="scratched lens")

    # when
    order_quality_check(
        order_id=packed.pk, user=inspector, results=results(check, **{"CAM-1": scratched}), on_fail="repick"
    )

    # then the order is to pack again, the ledger says why, and the next packing is checked again
    order = Order.objects.get(pk=packed.pk)
    assert order.status == "fulfilling"
    movement = StockMovement.objects.get(kind="repick")
    assert (movement.reference, movement.on_hand_delta, movement.reserved_delta) == (order.number, 0, 0)
    assert "not 'No damage'" in movement.reason and "scratched lens" in movement.reason
    assert QualityCheck.objects.get(pk=check.pk).status == "failed"
    with commit():
        pack(order, inspector)
    assert quality_check_pending_for_order(order_id=order.pk) is not None


def test_a_fail_can_hold_the_order_for_quality(packed, inspector):
    # given
    check = quality_check_pending_for_order(order_id=packed.pk)
    wrong = QcLineResult(checks={"Item matches SKU": False, "No damage": True})

    # when
    order_quality_check(order_id=packed.pk, user=inspector, results=results(check, **{"CAM-1": wrong}), on_fail="hold")

    # then
    order = Order.objects.get(pk=packed.pk)
    assert (order.status, order.hold_reason, order.held_from) == ("on_hold", "quality", "fulfilling")
    assert not Shipment.objects.filter(order=order).exists()
    manager = StaffFactory(role="manager")
    assert order_transition(order_id=order.pk, name="release", user=manager).status == "fulfilling"


def test_an_expired_lot_fails(order_in_state, warehouse, inspector):
    # given a product whose expiry is recorded
    product = ProductFactory(sku="MED-1", requires_qc=True, qc_checks=["lot", "expiry"])
    StockItemFactory(product=product, warehouse=warehouse)
    order = order_in_state("fulfilling", lines=[("MED-1", 1)])
    pack(order, inspector)
    check = quality_check_pending_for_order(order_id=order.pk)
    old = QcLineResult(checks=OK, lot="L7", expiry=timezone.localdate() - timedelta(days=1))

    # when
    order_quality_check(order_id=order.pk, user=inspector, results=results(check, **{"MED-1": old}), on_fail="hold")

    # then
    line = check.lines.get()
    assert line.passed is False and line.note.startswith("Expired on")


@pytest.mark.parametrize(
    "given, field",
    [
        ({"CAM-1": QcLineResult(checks=OK)}, "serial"),
        ({"CAM-1": QcLineResult(checks={"No damage": False})}, "on_fail"),
    ],
)
def test_an_incomplete_check_writes_nothing(packed, inspector, given, field):
    # given
    check = quality_check_pending_for_order(order_id=packed.pk)

    # when
    with pytest.raises(InvalidInput) as error:
        order_quality_check(order_id=packed.pk, user=inspector, results=results(check, **given))

    # then
    assert any(key.endswith(field) for key in error.value.fields)
    check.refresh_from_db()
    assert check.status == "pending" and check.lines.get().passed is None
    assert Order.objects.get(pk=packed.pk).status == "fulfilling"


def test_only_inspectors_check_and_nobody_ships_around_the_check(packed):
    # given staff without perform_qc, and a manager
    finance, manager = StaffFactory(role="finance"), StaffFactory(role="manager")
    check = quality_check_pending_for_order(order_id=packed.pk)

    # then
    with pytest.raises(TransitionForbidden):
        order_quality_check(order_id=packed.pk, user=finance, results=results(check))
    with pytest.raises(TransitionNotAvailable):
        order_transition(order_id=packed.pk, name="ship", user=manager)
    with pytest.raises(TransitionNotAvailable):
        pack(packed, manager)
    assert Order.objects.get(pk=packed.pk).status == "fulfilling"


def test_a_warehouse_that_requires_qc_checks_every_line(order_in_state, mug, warehouse, inspector):
    # given
    warehouse.requires_qc = True
    warehouse.save(update_fields=["requires_qc"])
    order = order_in_state("fulfilling", lines=[("MUG-1", 1)])

    # when
    pack(order, inspector)

    # then
    assert Order.objects.get(pk=order.pk).status == "fulfilling"
    assert [line.sku for line in quality_check_pending_for_order(order_id=order.pk).lines.all()] == ["MUG-1"]


def test_orders_without_qc_ship_in_one_step(order_in_state, mug, inspector, commit):
    # given
    order = order_in_state("fulfilling", lines=[("MUG-1", 1)])

    # when
    with commit():
        pack(order, inspector)

    # then
    assert Order.objects.get(pk=order.pk).status == "shipped"
    assert not QualityCheck.objects.exists()


def test_pass_and_fail_counts_per_product(packed, inspector, order_in_state):
    # given one pass and one fail of the camera today
    check = quality_check_pending_for_order(order_id=packed.pk)
    order_quality_check(order_id=packed.pk, user=inspector, results=results(check))
    other = order_in_state("fulfilling", lines=[("CAM-1", 1)])
    pack(other, inspector)
    check = quality_check_pending_for_order(order_id=other.pk)
    bad = QcLineResult(checks={"No damage": False})
    order_quality_check(order_id=other.pk, user=inspector, results=results(check, **{"CAM-1": bad}), on_fail="repick")

    # then
    today = timezone.localdate()
    assert qc_counts_by_product(date_from=today, date_to=today) == [{"sku": "CAM-1", "passed": 1, "failed": 1}]
    assert qc_counts_by_product(date_from=date(2000, 1, 1), date_to=date(2000, 1, 2)) == []
