import pytest

from inventory.models import StockItem, StockMovement
from inventory.services import stock_receive_into
from inventory.transfers import transfer_create
from tests.factories import ProductFactory, StaffFactory, WarehouseFactory

ARRIVED_TASK = "tests.stock_arrived_listener"


@pytest.fixture
def east(db):
    return WarehouseFactory(code="EAST", priority=1)


@pytest.fixture
def west(db):
    return WarehouseFactory(code="WEST", priority=2)


@pytest.fixture
def clerk(db):
    return StaffFactory(role="warehouse", username="walt")


@pytest.fixture
def stocked(east):
    """``stocked(sku, units, reorder_point=0)``: a product whose units arrived in EAST through the ledger."""

    def make(sku: str, units: int, *, reorder_point: int = 0):
        product = ProductFactory(sku=sku, reorder_point=reorder_point)
        stock_receive_into(product_id=product.pk, warehouse_id=east.pk, quantity=units, reason="initial stock")
        return product

    return make


@pytest.fixture
def draft(east, west, clerk):
    """``draft({product: units, ...})``: a draft transfer from EAST to WEST."""

    def make(lines: dict, **fields):
        return transfer_create(
            from_warehouse_id=east.pk,
            to_warehouse_id=west.pk,
            lines=[(product.pk, units) for product, units in lines.items()],
            user=clerk,
            **fields,
        )

    return make


@pytest.fixture
def stock():
    """``stock(product, warehouse)``: (on hand, reserved) of the row, or None when there is no row."""

    def read(product, warehouse):
        row = StockItem.objects.filter(product=product, warehouse=warehouse).first()
        return None if row is None else (row.on_hand, row.reserved)

    return read


@pytest.fixture
def ledger():
    """``ledger(reference)``: (warehouse, kind, on hand delta, reserved delta, actor) of its movements, oldest first."""

    def read(reference: str):
        return list(
            StockMovement.objects.filter(reference=reference)
            .order_by("pk")
            .values_list("stock_item__warehouse__code", "kind", "on_hand_delta", "reserved_delta", "actor")
        )

    return read


@pytest.fixture
def arrivals(settings):
    """The product ids ``stock_arrived`` queued for the OMS_STOCK_ARRIVED_TASKS (read from the outbox)."""
    from oms.models import OutboxMessage

    settings.OMS_STOCK_ARRIVED_TASKS = [ARRIVED_TASK]
    return lambda: [
        m.kwargs["product_ids"] for m in OutboxMessage.objects.filter(task_name=ARRIVED_TASK).order_by("pk")
    ]
