"""The invoice PDF of an on-account order, downloaded from the order page: number, dates, buyer, lines, tax,
total and the shop, in a Unicode font; for finance, managers and the order desk."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from orders.models import Order
from payments.models import Invoice
from tests.dashboard.roles import ROLES

DOWNLOADERS = {"finance", "manager", "order desk"}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_finance_downloads_the_invoice_with_its_number_dates_lines_and_sums(staff_client, on_account_order, settings):
    order = on_account_order()
    invoice = Invoice.objects.get(payment__order=order)
    finance = staff_client("finance")

    response = finance.get(f"/dashboard/orders/{order.number}/invoice.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.number}.pdf"' in response["Content-Disposition"]
    text = _text(response.content)
    assert invoice.number in text and order.number in text
    assert f"{invoice.issued_on:%d %b %Y}" in text and f"{invoice.due_on:%d %b %Y}" in text
    line = order.lines.get()
    assert line.sku in text and line.name in text
    assert f"{order.total:,.2f} {order.currency}" in text
    assert "Tax" in text and "Subtotal" in text
    # the shop that sells and the account to pay into
    assert settings.OMS_BANK_ACCOUNT_NAME in text and settings.OMS_BANK_IBAN in text
    assert any("DejaVuSans" in font for font in _fonts(response.content))


def test_the_order_page_links_the_invoice(staff_client, on_account_order):
    order = on_account_order()
    invoice = Invoice.objects.get(payment__order=order)

    page = staff_client("order desk").get(f"/dashboard/orders/{order.number}/").content.decode()

    assert f"/dashboard/orders/{order.number}/invoice.pdf" in page
    assert invoice.number in page


def test_an_invoice_opened_before_numbering_is_numbered_on_download(staff_client, on_account_order):
    order = on_account_order()
    Invoice.objects.all().delete()

    response = staff_client("finance").get(f"/dashboard/orders/{order.number}/invoice.pdf")

    assert response.status_code == 200
    assert Invoice.objects.get(payment__order=order).number in _text(response.content)


def test_an_order_not_on_account_has_no_invoice(staff_client, order_in_state):
    order = order_in_state("confirmed")
    finance = staff_client("finance")

    response = finance.get(f"/dashboard/orders/{order.number}/invoice.pdf", follow=True)

    assert response.redirect_chain[-1][0] == f"/dashboard/orders/{order.number}/"
    assert "not on account: it has no invoice" in response.content.decode()
    assert not Invoice.objects.exists()


def test_an_unknown_order_is_404(staff_client, db):
    assert staff_client("finance").get("/dashboard/orders/NOPE-1/invoice.pdf").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_who_may_download_it(staff_client, on_account_order, role):
    order = on_account_order()
    client = staff_client(role)

    response = client.get(f"/dashboard/orders/{order.number}/invoice.pdf")

    assert response.status_code == (200 if role in DOWNLOADERS else 403)
    if role in DOWNLOADERS:
        page = client.get(f"/dashboard/orders/{order.number}/").content.decode()
        assert "invoice.pdf" in page
    assert Order.objects.get(pk=order.pk).status == "confirmed"
