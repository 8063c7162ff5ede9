"""The purchasing pages as the warehouse uses them: suppliers, a draft with lines, sending, receiving with
per-line quantities (errors beside the line), the PDF, cancelling."""

from decimal import Decimal

import pytest

from inventory.models import PurchaseOrder, StockItem, StockMovement, Supplier
from tests.factories import WarehouseFactory


@pytest.fixture
def clerk(staff_client):
    return staff_client("warehouse")


def test_create_and_edit_a_supplier(clerk):
    response = clerk.post(
        "/dashboard/inventory/suppliers/new/",
        {"name": "Nordic Glass", "email": "po@nordic.example", "lead_time_days": "21", "is_active": "on"},
    )

    assert response.status_code == 302
    supplier = Supplier.objects.get(name="Nordic Glass")
    assert (supplier.email, supplier.lead_time_days) == ("po@nordic.example", 21)

    response = clerk.post(
        f"/dashboard/inventory/suppliers/{supplier.pk}/", {"name": "nordic glass ", "lead_time_days": "-1"}
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in response.text


def test_a_duplicate_supplier_name_is_refused_beside_the_field(clerk, supplier):
    response = clerk.post("/dashboard/inventory/suppliers/new/", {"name": "ACME CERAMICS", "lead_time_days": "5"})

    assert response.status_code == 400
    assert "There is a supplier named ACME CERAMICS already." in response.text
    assert Supplier.objects.count() == 1


def test_draft_with_lines_then_send(clerk, supplier, mug, jug, mailoutbox, django_capture_on_commit_callbacks):
    main = WarehouseFactory(code="MAIN")
    form = {
        "supplier": supplier.pk,
        "warehouse": main.pk,
        "expected_date": "",
        "notes": "",
        "sku": ["MUG-1", "JUG-1", ""],
        "quantity": ["12", "3", ""],
        "unit_cost": ["2.40", "", ""],
    }

    response = clerk.post("/dashboard/inventory/purchase-orders/new/", form)

    po = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response.url == f"/dashboard/inventory/purchase-orders/{po.number}/"
    assert sorted(po.lines.values_list("product__sku", "quantity_ordered", "unit_cost")) == [
        ("JUG-1", 3, Decimal("0.00")),
        ("MUG-1", 12, Decimal("2.40")),
    ]
    page = clerk.get(response.url)
    assert "Send to supplier" in page.text and "Receive goods" not in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"/dashboard/inventory/purchase-orders/{po.number}/send/")

    assert response.status_code == 302
    assert PurchaseOrder.objects.get(pk=po.pk).status == "sent"
    assert [m.to for m in mailoutbox] == [["sales@acme.example"]]


def test_bad_lines_are_named_and_nothing_is_written(clerk, supplier, mug):
    main = WarehouseFactory(code="MAIN")
    response = clerk.post(
        "/dashboard/inventory/purchase-orders/new/",
        {"supplier": supplier.pk, "warehouse": main.pk, "sku": ["MUG-1", "NOPE"], "quantity": ["0", "1"]},
    )

    assert response.status_code == 400
    assert "MUG-1: order between 1 and 1,000,000 units." in response.text
    assert "NOPE: no product with this SKU." in response.text
    assert not PurchaseOrder.objects.exists()


def test_receive_part_then_over_receipt_is_shown_beside_the_line(clerk, make_po, mug):
    po = make_po({mug: 10})
    line = po.lines.get()
    url = f"/dashboard/inventory/purchase-orders/{po.number}/"
    assert "Receive goods" in clerk.get(url).text

    response = clerk.post(f"{url}receive/", {f"line_{line.pk}": "6"})

    assert response.status_code == 302
    assert StockItem.objects.get(product=mug).on_hand == 6
    assert PurchaseOrder.objects.get(pk=po.pk).status == "partially_received"

    response = clerk.post(f"{url}receive/", {f"line_{line.pk}": "5"})

    assert response.status_code == 400
    assert "MUG-1: 5 is more than the 4 still to come (10 ordered, 6 received)." in response.text
    assert StockMovement.objects.count() == 1


def test_the_pdf_downloads(clerk, make_po, mug):
    po = make_po({mug: 10})

    response = clerk.get(f"/dashboard/inventory/purchase-orders/{po.number}/pdf/")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{po.number}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_cancel_and_the_list_filters(clerk, make_po, mug):
    kept, cancelled = make_po({mug: 1}), make_po({mug: 2})

    response = clerk.post(f"/dashboard/inventory/purchase-orders/{cancelled.number}/cancel/")

    assert response.status_code == 302
    listed = clerk.get("/dashboard/inventory/purchase-orders/?status=cancelled").text
    assert cancelled.number in listed and kept.number not in listed


def test_an_unknown_po_is_404(clerk):
    assert clerk.get("/dashboard/inventory/purchase-orders/PO-2020-999999/").status_code == 404
    assert clerk.post("/dashboard/inventory/purchase-orders/PO-2020-999999/send/").status_code == 404


def test_edit_a_draft_then_only_the_date_once_sent(clerk, make_po, mug, jug):
    po = make_po({mug: 10}, send=False)
    url = f"/dashboard/inventory/purchase-orders/{po.number}/edit/"
    head = {"supplier": po.supplier_id, "warehouse": po.warehouse_id, "expected_date": "2031-05-04", "notes": "Dock 2"}

    response = clerk.post(url, {**head, "sku": ["JUG-1"], "quantity": ["7"], "unit_cost": ["1.25"]})

    assert response.status_code == 302
    po.refresh_from_db()
    assert (str(po.expected_date), po.notes) == ("2031-05-04", "Dock 2")
    assert list(po.lines.values_list("product__sku", "quantity_ordered")) == [("JUG-1", 7)]

    clerk.post(f"/dashboard/inventory/purchase-orders/{po.number}/send/")
    assert "SKU, row 1" not in clerk.get(url).text  # lines are no longer offered

    response = clerk.post(url, {"expected_date": "2031-06-01", "notes": "Confirmed by phone", "sku": ["MUG-1"]})

    assert response.status_code == 302
    po.refresh_from_db()
    assert (str(po.expected_date), po.notes, po.status) == ("2031-06-01", "Confirmed by phone", "sent")
    assert list(po.lines.values_list("product__sku", flat=True)) == ["JUG-1"]
