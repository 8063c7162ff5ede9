"""Finance records a part payment from the order page; the page shows what was paid, what is still due, and the
ledger of receipts. More than is due is a 400 naming the amount, and nothing is written."""

from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Order
from payments.models import Payment, PaymentReceipt
from tests.dashboard.finance.conftest import invoice_payment


@pytest.fixture
def waiting(order_in_state) -> Order:
    return order_in_state("credit_approved")


def _mark_paid(client, order, **fields):
    data = {"name": "mark_paid", **{f"paid-{k}": v for k, v in fields.items()}}
    return client.post(f"/dashboard/orders/{order.number}/transition/", data)


def test_a_part_payment_is_told_and_shown_with_the_balance_and_the_ledger(staff_client, waiting):
    finance = staff_client("finance")
    today = timezone.localdate()

    response = _mark_paid(finance, waiting, received_on=today.isoformat(), reference="BT-77", amount="1.00")

    assert response.status_code == 302
    page = finance.get(response.url, follow=True).content.decode()
    due = waiting.total - Decimal("1.00")
    assert f"is paid 1.00 of {waiting.total:,.2f} {waiting.currency}, balance due {due:,.2f}" in page
    assert f"Paid 1.00 {waiting.currency} of {waiting.total:,.2f} {waiting.currency}, balance due" in page
    assert "BT-77" in page and f"{today:%-d %b %Y}" in page
    assert Order.objects.get(pk=waiting.pk).status == "credit_approved"


def test_more_than_is_due_is_a_400_beside_the_amount_and_writes_nothing(staff_client, waiting):
    finance = staff_client("finance")

    response = _mark_paid(finance, waiting, amount=str(waiting.total + 1))

    assert response.status_code == 400
    page = response.content.decode()
    assert "still due" in page and 'id="id_paid-amount"' in page
    assert Payment.objects.get(order=waiting).received_amount == 0
    assert not PaymentReceipt.objects.filter(payment__order=waiting).exists()


@pytest.mark.parametrize("amount", ["abc", "0", "-5", "1.234"])
def test_a_malformed_amount_is_a_400_naming_it(staff_client, waiting, amount):
    finance = staff_client("finance")

    response = _mark_paid(finance, waiting, amount=amount)

    assert response.status_code == 400
    assert 'id="id_paid-amount"' in response.content.decode()
    assert Order.objects.get(pk=waiting.pk).status == "credit_approved"
    assert not PaymentReceipt.objects.filter(payment__order=waiting).exists()


def test_an_invoice_part_payment_from_the_page(staff_client, on_account_order):
    order = on_account_order()
    finance = staff_client("finance")

    response = invoice_payment(finance, order, reference="P1", amount="2")

    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.received_amount) == ("authorized", Decimal("2.00"))
    page = finance.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert "balance due" in page and "P1" in page


def test_home_says_what_is_still_owed_on_invoices_after_a_part_payment(staff_client, on_account_order):
    from orders import services

    order = on_account_order()
    finance = staff_client("finance")
    services.order_invoice_settle(order_id=order.pk, user=finance.user, amount=Decimal("2.00"))

    page = finance.get("/dashboard/").content.decode()

    queue = page[page.index('id="q-invoices"') :]
    assert f"{order.total - 2:,.2f} {order.currency}" in queue.split("</section>")[0]
