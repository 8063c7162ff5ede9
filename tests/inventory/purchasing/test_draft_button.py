"""The reorder page's "Draft purchase orders" button: one draft per supplier × warehouse with the suggested
quantities, at the last unit cost paid; then the list of drafts."""

from decimal import Decimal

from inventory import purchasing
from inventory.models import PurchaseOrder
from tests.factories import ProductFactory, StockItemFactory, WarehouseFactory
from tests.inventory.purchasing.conftest import SupplierFactory


def test_the_button_drafts_one_po_per_supplier_and_warehouse(staff_client, supplier, buyer, settings):
    settings.OMS_REORDER_REVIEW_DAYS = 14
    main, east = WarehouseFactory(code="MAIN", priority=1), WarehouseFactory(code="EAST", priority=2)
    other = SupplierFactory(name="Birch Textiles", lead_time_days=5)
    # No sales: each row is ordered up to its reorder point + 1.
    mug = ProductFactory(sku="MUG-1", reorder_point=9, supplier=supplier)
    jug = ProductFactory(sku="JUG-1", reorder_point=4, supplier=supplier)
    towel = ProductFactory(sku="TOWEL-1", reorder_point=6, supplier=other)
    loose = ProductFactory(sku="LOOSE-1", reorder_point=6)  # no supplier: listed, not drafted
    StockItemFactory(product=mug, warehouse=main, on_hand=2)
    StockItemFactory(product=mug, warehouse=east, on_hand=0)
    StockItemFactory(product=jug, warehouse=main, on_hand=1)
    StockItemFactory(product=towel, warehouse=main, on_hand=6)
    StockItemFactory(product=loose, warehouse=main, on_hand=0)
    StockItemFactory(product=ProductFactory(sku="FULL-1", reorder_point=2, supplier=supplier), warehouse=main)
    earlier = purchasing.purchase_order_create(
        supplier_id=supplier.pk,
        warehouse_id=east.pk,
        user=buyer,
        lines=[purchasing.LineInput(product_id=mug.pk, quantity=1, unit_cost=Decimal("3.10"))],
    )
    client = staff_client("warehouse")

    page = client.get("/dashboard/inventory/reorder/")
    assert page.status_code == 200
    assert [name in page.text for name in ("Acme Ceramics", "Birch Textiles", "No supplier", "FULL-1")] == [
        True,
        True,
        True,
        False,
    ]

    response = client.post("/dashboard/inventory/reorder/draft/")

    assert response.status_code == 302
    assert response.url == "/dashboard/inventory/purchase-orders/?status=draft"
    drafts = PurchaseOrder.objects.exclude(pk=earlier.pk)
    got = {
        (po.supplier.name, po.warehouse.code): sorted(
            po.lines.values_list("product__sku", "quantity_ordered", "unit_cost")
        )
        for po in drafts
    }
    assert got == {
        ("Acme Ceramics", "MAIN"): [("JUG-1", 4, Decimal("0.00")), ("MUG-1", 8, Decimal("3.10"))],
        ("Acme Ceramics", "EAST"): [("MUG-1", 9, Decimal("3.10"))],  # 10 − 1 already on the earlier draft
        ("Birch Textiles", "MAIN"): [("TOWEL-1", 1, Decimal("0.00"))],
    }
    assert {po.status for po in drafts} == {"draft"}
    listed = client.get(response.url).text
    assert all(po.number in listed for po in drafts)

    again = client.post("/dashboard/inventory/reorder/draft/")  # everything is on order now

    assert again.status_code == 302 and again.url == "/dashboard/inventory/reorder/"
    assert PurchaseOrder.objects.count() == 4
