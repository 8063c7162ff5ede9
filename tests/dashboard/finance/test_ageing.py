"""The ageing of open on-account invoices: per customer, what is owed by days past due (current, 1–30, 31–60,
61–90, over 90), with totals, on a page and as CSV."""

import csv
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.utils import timezone

from orders import services
from orders.models import Order
from payments.models import Invoice, Payment
from tests.dashboard.roles import ROLES
from tests.factories import CustomerFactory, OrderFactory, StaffFactory

URL = "/dashboard/finance/ageing/"


@pytest.fixture
def invoices(commit, warehouse):
    """Acme owes three invoices (due in 5 days, 10 and 45 days ago), Bolt one (100 days ago); Bolt's other
    invoice is paid. Each invoice is 20.00."""
    today = timezone.localdate()
    acme = CustomerFactory(name="Acme", payment_terms="on_account", credit_limit=Decimal("1000"))
    bolt = CustomerFactory(name="Bolt", payment_terms="on_account", credit_limit=Decimal("1000"))

    def invoice(customer, due_in_days: int) -> Order:
        with commit():
            order = OrderFactory(customer_email=customer.email, payment_method="on_account", payment_token="")
        Payment.objects.filter(order_id=order.pk).update(amount=Decimal("20.00"))
        Invoice.objects.filter(payment__order_id=order.pk).update(
            issued_on=today - timedelta(days=120), due_on=today + timedelta(days=due_in_days)
        )
        return Order.objects.get(pk=order.pk)

    orders = [invoice(acme, 5), invoice(acme, -10), invoice(acme, -45), invoice(bolt, -100)]
    paid = invoice(bolt, -70)
    services.order_invoice_settle(order_id=paid.pk, user=StaffFactory(role="finance"))
    return orders


def _csv(response) -> list[list[str]]:
    return list(csv.reader(StringIO(response.content.decode())))


def test_the_csv_buckets_each_customers_invoices_by_days_past_due(staff_client, invoices):
    response = staff_client("finance").get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, acme, bolt, total = _csv(response)
    assert header[3:] == ["Invoices", "Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days", "Total"]
    assert acme[0] == "Acme" and acme[3:] == ["3", "20.00", "20.00", "20.00", "0.00", "0.00", "60.00"]
    assert bolt[0] == "Bolt" and bolt[3:] == ["1", "0.00", "0.00", "0.00", "0.00", "20.00", "20.00"]
    assert total[0] == "Total" and total[4:] == ["20.00", "20.00", "20.00", "0.00", "20.00", "80.00"]


def test_the_page_shows_the_same_with_totals(staff_client, invoices):
    response = staff_client("finance").get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Acme" in page and "Bolt" in page and ">61–90<" in page and ">Over 90<" in page
    assert "80.00" in page and 'href="?format=csv"' in page


def test_a_part_payment_lowers_what_is_owed(staff_client, invoices):
    services.order_invoice_settle(order_id=invoices[3].pk, user=StaffFactory(role="finance"), amount=Decimal("5"))

    _header, _acme, bolt, _total = _csv(staff_client("finance").get(URL, {"format": "csv"}))

    assert bolt[-2:] == ["15.00", "15.00"]


def test_cancelled_orders_are_left_out(staff_client, invoices):
    services.order_transition(order_id=invoices[3].pk, name="cancel", user=StaffFactory(role="manager"))

    rows = _csv(staff_client("finance").get(URL, {"format": "csv"}))

    assert [row[0] for row in rows] == ["Customer", "Acme", "Total"]


def test_a_name_a_spreadsheet_would_run_is_kept_as_text(staff_client, invoices):
    from orders.models import Customer

    Customer.objects.filter(name="Bolt").update(name="=HYPERLINK(evil)")

    rows = _csv(staff_client("finance").get(URL, {"format": "csv"}))

    assert "'=HYPERLINK(evil)" in [row[0] for row in rows]


def test_no_open_invoice(staff_client, db):
    page = staff_client("finance").get(URL).content.decode()

    assert "No open invoice" in page


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_it(staff_client, db, role):
    assert staff_client(role).get(URL).status_code == (200 if role in {"finance", "manager"} else 403)
