"""Suppliers and purchase orders for the purchasing tests."""

from decimal import Decimal

import factory
import pytest

from inventory import purchasing
from inventory.models import Supplier
from tests.factories import ProductFactory, StaffFactory, WarehouseFactory


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Supplier {n}")
    email = factory.LazyAttribute(lambda o: f"orders@{o.name.lower().replace(' ', '-')}.example")
    lead_time_days = 10


@pytest.fixture
def buyer(db):
    return StaffFactory(role="warehouse", username="walt")


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Acme Ceramics", contact_name="Ada", email="sales@acme.example", lead_time_days=10)


@pytest.fixture
def make_po(buyer, supplier):
    """``make_po({product: quantity, ...}, warehouse=..., send=True)``: a purchase order at 2.50 a unit."""

    def make(quantities: dict, *, warehouse=None, send: bool = True, **fields):
        warehouse = warehouse or WarehouseFactory(code="MAIN")
        purchase_order = purchasing.purchase_order_create(
            supplier_id=fields.pop("supplier", supplier).pk,
            warehouse_id=warehouse.pk,
            user=buyer,
            lines=[
                purchasing.LineInput(product_id=p.pk, quantity=q, unit_cost=Decimal("2.50"))
                for p, q in quantities.items()
            ],
            **fields,
        )
        if send:
            purchase_order = purchasing.purchase_order_send(number=purchase_order.number, user=buyer)
        return purchase_order

    return make


@pytest.fixture
def mug(db):
    return ProductFactory(sku="MUG-1", name="Mug")


@pytest.fixture
def jug(db):
    return ProductFactory(sku="JUG-1", name="Jug")
