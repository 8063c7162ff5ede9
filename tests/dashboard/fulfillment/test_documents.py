"""Shipping labels and packing slips: real PDFs with the parcel's facts, 404/409 when there is none."""

from datetime import date
from decimal import Decimal

from shipping.documents import LABEL_SIZE, SlipItem, label_pdf, packing_slip_pdf
from shipping.models import Shipment
from tests.dashboard.fulfillment.conftest import pdf_pages, pdf_text


def test_label_of_a_shipped_parcel(order_in_state, staff_client):
    # given
    order = order_in_state("shipped")
    shipment = Shipment.objects.get(order=order)

    # when
    response = staff_client("warehouse").get(f"/dashboard/shipments/{shipment.pk}/label.pdf")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="label-{order.number}-1.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert shipment.tracking_number.encode() in text
    assert order.number.encode() in text
    assert b"Demo Parcel" in text
    assert b"Standard" in text
    assert b"/MediaBox [ 0 0 288 432 ]" in text, "4 x 6 inch page"


def test_packing_slip_of_a_parcel(order_in_state, staff_client):
    order = order_in_state("shipped")
    shipment = Shipment.objects.get(order=order)
    line = order.lines.get()

    response = staff_client("support").get(f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="packing-slip-{order.number}-1.pdf"'
    text = pdf_text(response.content)
    assert text.startswith(b"%PDF")
    assert line.sku.encode() in text
    assert b"Parcel 1 of 1" in text
    assert shipment.tracking_number.encode() in text
    assert b"Thank you for your order" in text
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in text, "A4"


def test_unknown_shipment_is_404(staff_client, db):
    client = staff_client("warehouse")

    assert client.get("/dashboard/shipments/999999/label.pdf").status_code == 404
    assert client.get("/dashboard/shipments/999999/packing-slip.pdf").status_code == 404


def test_label_not_bought_yet_is_a_friendly_409(order_in_state, staff_client):
    order = order_in_state("shipped")
    shipment = Shipment.objects.get(order=order)
    Shipment.objects.filter(pk=shipment.pk).update(tracking_number=None, status="label_pending")

    response = staff_client("warehouse").get(f"/dashboard/shipments/{shipment.pk}/label.pdf")

    assert response.status_code == 409
    assert "The label is not ready yet" in response.text


def test_label_drawing_takes_plain_values():
    content = label_pdf(
        carrier="Demo Parcel",
        service="Express (1–2 days)",
        tracking_number="DMO123456789012",
        weight_kg=Decimal("1.25"),
        ship_from=["Newark Distribution Center", "NJ1 · US"],
        ship_to=["Zoë Ødegaard", "1 Main St", "10115 Berlin", "DE"],
        order_number="ORD-1",
        parcel_index=2,
        parcel_count=3,
        compress=False,
    )

    assert content.startswith(b"%PDF")
    text = pdf_pages(content)[0]
    assert "DMO123456789012" in text
    assert "2/3" in text
    assert "Zoë Ødegaard" in text
    assert LABEL_SIZE == (288, 432)


def test_packing_slip_escapes_customer_text_and_runs_onto_more_pages():
    content = packing_slip_pdf(
        order_number="ORD-1",
        order_date=date(2024, 5, 1),
        ship_to=["<b>Ann</b> & Co"],
        ship_from=["NJ1"],
        items=[SlipItem(sku=f"SKU-{n}", name="Mug", quantity=1) for n in range(120)],
        parcel_index=1,
        parcel_count=1,
        note="Thanks",
        compress=False,
    )

    pages = pdf_pages(content)
    assert "<b>Ann</b> & Co" in pages[0], "markup typed by a customer is printed, not obeyed"
    assert len(pages) > 1
    assert "SKU-119" in pages[-1]
