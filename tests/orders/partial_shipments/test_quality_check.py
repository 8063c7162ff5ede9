"""Quality control still sits between packing and shipping when an order ships in parts."""

from decimal import Decimal

import pytest

from orders.models import LineAllocation, Order
from orders.services import ParcelInput, order_pack_and_ship, order_quality_check
from shipping.models import Shipment
from shipping.selectors import quality_check_pending_for_order
from shipping.services import QcLineResult
from tests.factories import ProductFactory, StaffFactory, StockItemFactory
from tests.orders.partial_shipments.conftest import shipped_by_line, stock_arrives, to_ship

OK = {"Item matches SKU": True, "No damage": True}


@pytest.fixture
def camera(warehouse):
    product = ProductFactory(sku="CAM-1", name="Camera", weight_kg=Decimal("0.800"), requires_qc=True)
    StockItemFactory(product=product, warehouse=warehouse, on_hand=10)
    return product


@pytest.fixture
def inspector(db):
    return StaffFactory(role="manager", username="ines")


def pack_and_check(order, inspector, warehouse, commit) -> Order:
    packed = list(LineAllocation.objects.filter(line__order=order, is_shipped=False).values_list("pk", flat=True))
    with commit():
        order_pack_and_ship(
            order_id=order.pk,
            user=inspector,
            parcels=[ParcelInput(warehouse_id=warehouse.pk, weight_kg=Decimal("2"), contents=to_ship(order))],
            service="standard",
            packed=packed,
        )
    check = quality_check_pending_for_order(order_id=order.pk)
    assert check is not None, "the packing waits for its check"
    assert Order.objects.get(pk=order.pk).status == "fulfilling"
    results = {line.pk: QcLineResult(checks=OK) for line in check.lines.all()}
    with commit():
        order_quality_check(order_id=order.pk, user=inspector, results=results)
    return Order.objects.get(pk=order.pk)


def test_each_part_is_checked_then_ships(partial_order, camera, shelf, inspector, warehouse, commit):
    # given 2 cameras (1 in stock) and a cup
    order = partial_order([("CAM-1", 2, 1), ("PS-CUP", 1, 1)])

    # when the first part is packed and passes its check
    order = pack_and_check(order, inspector, warehouse, commit)

    # then it ships as a part: the order stays fulfilling
    assert order.status == "fulfilling"
    assert shipped_by_line(order) == {"CAM-1": (1, 1, 1), "PS-CUP": (1, 1, 0)}
    assert Shipment.objects.filter(order=order).count() == 1
    assert order.amount_captured > 0

    # when the second camera arrives, is packed and checked
    stock_arrives(order, "CAM-1", 1)
    order = pack_and_check(order, inspector, warehouse, commit)

    # then the order has shipped, and is paid in full
    assert order.status == "shipped"
    assert shipped_by_line(order) == {"CAM-1": (2, 2, 0), "PS-CUP": (1, 1, 0)}
    assert Shipment.objects.filter(order=order).count() == 2
    assert order.amount_captured == order.total
