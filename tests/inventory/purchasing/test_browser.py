"""A warehouse clerk reorders in the browser: the reorder page, drafting, sending and receiving a purchase order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inventory import purchasing
from inventory.models import PurchaseOrder, StockItem, StockMovement
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory
from tests.inventory.purchasing.conftest import SupplierFactory


def _sold(item, quantity: int, days_ago: int) -> None:
    movement = StockMovement.objects.create(
        stock_item=item, kind=StockMovement.Kind.SHIP, on_hand_delta=-quantity, reserved_delta=-quantity
    )
    StockMovement.objects.filter(pk=movement.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


@pytest.mark.browser
def test_reorder_draft_send_and_receive(page, live_server, browser_login, screenshot, transactional_db):
    main = WarehouseFactory(code="NJ1", name="Newark", priority=1)
    acme = SupplierFactory(name="Acme Ceramics", contact_name="Ada Park", email="sales@acme.example", lead_time_days=10)
    birch = SupplierFactory(name="Birch Textiles", email="orders@birch.example", lead_time_days=21)
    mug = ProductFactory(sku="KIT-MUG-350", name="Stoneware Mug 350 ml", reorder_point=10, supplier=acme)
    bowl = ProductFactory(sku="KIT-BOWL-S", name="Serving Bowl", reorder_point=4, supplier=acme)
    towel = ProductFactory(sku="HOME-TWL-L", name="Linen Towel", reorder_point=6, supplier=birch)
    _sold(StockItemFactory(product=mug, warehouse=main, on_hand=12), 45, days_ago=12)
    _sold(StockItemFactory(product=bowl, warehouse=main, on_hand=3), 9, days_ago=40)
    _sold(StockItemFactory(product=towel, warehouse=main, on_hand=5), 20, days_ago=20)
    clerk = StaffFactory(role="warehouse", username="walt")
    late = purchasing.purchase_order_create(
        supplier_id=birch.pk,
        warehouse_id=main.pk,
        user=clerk,
        expected_date=timezone.localdate() - timedelta(days=4),
        lines=[purchasing.LineInput(product_id=towel.pk, quantity=2, unit_cost="6.80")],
    )
    purchasing.purchase_order_send(number=late.number, user=clerk)
    browser_login(page, clerk)

    page.goto(f"{live_server.url}/dashboard/inventory/reorder/")
    page.get_by_role("heading", name="Acme Ceramics").wait_for()
    screenshot(page, "dashboard-reorder")
    page.get_by_role("button", name="Draft purchase orders").click()
    page.get_by_text("Drafted 2 purchase order(s)").wait_for()
    assert PurchaseOrder.objects.filter(status="draft").count() == 2

    page.goto(f"{live_server.url}/dashboard/inventory/purchase-orders/")
    page.locator(".badge", has_text="Late").wait_for()
    screenshot(page, "dashboard-purchase-orders")

    draft = PurchaseOrder.objects.get(status="draft", supplier=acme)
    page.goto(f"{live_server.url}/dashboard/inventory/purchase-orders/{draft.number}/")
    page.get_by_role("button", name="Send to supplier").click()
    page.get_by_text(f"Sent {draft.number}").wait_for()
    receive = page.locator("form", has=page.get_by_role("heading", name="Receive goods"))
    mug_line = draft.lines.get(product=mug)
    receive.get_by_label(f"KIT-MUG-350 ({mug_line.quantity_ordered} to come)").fill(str(mug_line.quantity_ordered - 5))
    receive.get_by_role("button", name="Book receipt").click()
    page.get_by_text("more to come").wait_for()
    screenshot(page, "dashboard-purchase-order")

    assert PurchaseOrder.objects.get(pk=draft.pk).status == "partially_received"
    assert StockItem.objects.get(product=mug, warehouse=main).on_hand == 12 + mug_line.quantity_ordered - 5
    assert StockMovement.objects.filter(reference=draft.number, kind="receipt").count() == 1


@pytest.mark.browser
def test_purchasing_pages_meet_wcag_aa(page, live_server, browser_login, transactional_db):
    from tests.accessibility.test_axe import check_pages

    main = WarehouseFactory(code="NJ1", name="Newark", priority=1)
    acme = SupplierFactory(name="Acme Ceramics", lead_time_days=10)
    mug = ProductFactory(sku="KIT-MUG-350", name="Stoneware Mug 350 ml", reorder_point=10, supplier=acme)
    StockItemFactory(product=mug, warehouse=main, on_hand=2)
    clerk = StaffFactory(role="manager")
    po = purchasing.purchase_order_create(
        supplier_id=acme.pk,
        warehouse_id=main.pk,
        user=clerk,
        expected_date=timezone.localdate() - timedelta(days=1),
        lines=[purchasing.LineInput(product_id=mug.pk, quantity=5, unit_cost="2.00")],
    )
    purchasing.purchase_order_send(number=po.number, user=clerk)
    browser_login(page, clerk)

    found = check_pages(
        page,
        f"{live_server.url}/dashboard/inventory",
        [
            "/reorder/",
            "/purchase-orders/",
            f"/purchase-orders/{po.number}/",
            f"/purchase-orders/{po.number}/edit/",
            "/purchase-orders/new/",
            "/suppliers/",
            f"/suppliers/{acme.pk}/",
        ],
    )

    assert found == []
