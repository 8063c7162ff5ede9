"""Labels and packing slips print every script (an embedded Unicode font), and the label names the sender's street."""

from datetime import date
from decimal import Decimal

import pytest
from reportlab.pdfbase import pdfmetrics

from orders.services.placement import AddressInput
from shipping.documents import FONT, FONT_BOLD, SlipItem, label_pdf, packing_slip_pdf, register_fonts
from shipping.models import Shipment
from tests.dashboard.fulfillment.conftest import pdf_fonts, pdf_pages

ADDRESSES = {
    "polish": ["Łukasz Wróbel", "ul. Świętokrzyska 12", "90-001 Łódź", "PL"],
    "czech": ["Jiří Dvořák", "Třída Míru 27", "120 00 Praha 2 – Vinohrady", "CZ"],
    "turkish": ["Şükrü Yıldırım", "İstiklal Caddesi No: 8, Beyoğlu", "34433 İstanbul", "TR"],
    "greek": ["Γιώργος Παπαδόπουλος", "Οδός Ερμού 15", "105 63 Αθήνα", "GR"],
    "vietnamese": ["Nguyễn Thị Hương", "Số 12 Đường Lê Lợi, Quận 1", "Thành phố Hồ Chí Minh 700000", "VN"],
}


def _label(ship_to: list[str]) -> bytes:
    return label_pdf(
        carrier="Demo Parcel",
        service="Standard",
        tracking_number="DMO123456789012",
        weight_kg=Decimal("1.20"),
        ship_from=["Sklep Żółw · Łódź Magazyn (PL1)", "ul. Piotrkowska 1", "90-001 Łódź", "PL"],
        ship_to=ship_to,
        order_number="ORD-1",
    )


def _slip(ship_to: list[str]) -> bytes:
    return packing_slip_pdf(
        order_number="ORD-1",
        order_date=date(2026, 12, 1),
        ship_to=ship_to,
        ship_from=["Sklep Żółw"],
        items=[SlipItem(sku="KIT-MUG", name="Kubek „Żółć”", quantity=1)],
        parcel_index=1,
        parcel_count=1,
        note=f"Dziękujemy, {ship_to[0]}!",
    )


@pytest.mark.parametrize("script", ADDRESSES)
@pytest.mark.parametrize("draw", [_label, _slip], ids=["label", "packing slip"])
def test_every_letter_of_the_address_is_printed(script, draw):
    # given
    ship_to = ADDRESSES[script]

    # when
    content = draw(ship_to)

    # then
    text = pdf_pages(content)[0]
    for line in ship_to:
        assert line in text
    assert "■" not in text
    assert {FONT, FONT_BOLD} <= pdf_fonts(content), "the Unicode font is embedded"


@pytest.mark.parametrize("script", ADDRESSES)
def test_the_font_has_a_glyph_for_every_letter(script):
    register_fonts()

    for name in (FONT, FONT_BOLD):
        face = pdfmetrics.getFont(name).face
        missing = {c for line in ADDRESSES[script] for c in line if ord(c) not in face.charToGlyph}
        assert not missing, f"{name} cannot draw {sorted(missing)}"


def test_label_and_slip_of_a_polish_order_print_the_city_and_the_senders_street(order_in_state, staff_client, settings):
    # given
    settings.OMS_SHIP_FROM_NAME = "Żabka Store"
    settings.OMS_SHIP_FROM_STREET = "12 Harbour Road"
    settings.OMS_SHIP_FROM_CITY = "Newark, NJ 07114"
    settings.OMS_SHIP_FROM_COUNTRY = "us"
    address = AddressInput(
        name="Łukasz Wróbel", line1="ul. Świętokrzyska 12", city="Łódź", postal_code="90-001", country="PL"
    )
    order = order_in_state("shipped", shipping_address=address)
    shipment = Shipment.objects.get(order=order)
    client = staff_client("warehouse")

    # when
    label = client.get(f"/dashboard/shipments/{shipment.pk}/label.pdf")
    slip = client.get(f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf")

    # then
    label_text, slip_text = pdf_pages(label.content)[0], pdf_pages(slip.content)[0]
    for text in (label_text, slip_text):
        assert "Łukasz Wróbel" in text
        assert "ul. Świętokrzyska 12" in text
        assert "90-001 Łódź" in text
        assert "12 Harbour Road" in text
    assert "Żabka Store" in label_text
    assert "Newark, NJ 07114\nUS" in label_text
