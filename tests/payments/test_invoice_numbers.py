"""On-account orders get an invoice when it opens: INV-<year>-<sequence>, unique and gapless per year even when
issued at once, with the issue date and the due date after the customer's payment terms."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Customer, Order
from payments.models import Invoice, Payment
from payments.services import invoice_issue
from tests.factories import CustomerFactory, OrderFactory


@pytest.fixture
def on_account(commit, warehouse):
    """``on_account(customer)``: a confirmed on-account order of that customer, its invoice open."""

    def make(customer: Customer) -> Order:
        with commit():
            order = OrderFactory(customer_email=customer.email, payment_method="on_account", payment_token="")
        return Order.objects.get(pk=order.pk)

    return make


def _customer(**fields) -> Customer:
    return CustomerFactory(payment_terms="on_account", credit_limit=Decimal("10000.00"), **fields)


def test_an_opened_invoice_has_a_number_an_issue_date_and_a_due_date_after_the_default_terms(on_account):
    today = timezone.localdate()

    order = on_account(_customer())

    invoice = Invoice.objects.get(payment__order=order)
    assert invoice.number == f"INV-{today.year}-000001"
    assert (invoice.issued_on, invoice.due_on) == (today, today + timedelta(days=30))


def test_the_default_terms_come_from_the_setting(settings, on_account):
    settings.OMS_INVOICE_DUE_DAYS = 14

    order = on_account(_customer())

    invoice = Invoice.objects.get(payment__order=order)
    assert invoice.due_on - invoice.issued_on == timedelta(days=14)


def test_the_customers_own_terms_set_the_due_date(on_account):
    order = on_account(_customer(payment_terms_days=60))

    invoice = Invoice.objects.get(payment__order=order)
    assert invoice.due_on - invoice.issued_on == timedelta(days=60)


def test_numbers_follow_each_other_and_start_again_each_year(on_account):
    customer = _customer()
    first, second = on_account(customer), on_account(customer)
    year = timezone.localdate().year

    numbers = [Invoice.objects.get(payment__order=o).number for o in (first, second)]

    assert numbers == [f"INV-{year}-000001", f"INV-{year}-000002"]
    # an invoice dated next year starts that year's sequence
    third = on_account(customer)
    payment = Payment.objects.get(order=third)
    Invoice.objects.filter(payment=payment).delete()
    invoice = invoice_issue(payment_id=payment.pk, issued_on=date(year + 1, 1, 2))
    assert invoice.number == f"INV-{year + 1}-000001"


def test_issuing_again_gives_the_same_invoice(on_account):
    order = on_account(_customer())
    payment = Payment.objects.get(order=order)

    again = invoice_issue(payment_id=payment.pk)

    assert again == Invoice.objects.get(payment=payment)
    assert Invoice.objects.count() == 1


def test_card_and_bank_transfer_orders_get_no_invoice(order_in_state):
    order_in_state("confirmed")
    order_in_state("credit_approved")

    assert not Invoice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_invoices_issued_at_the_same_moment_get_different_numbers(postgres_only, parallel, on_account):
    # given five open invoices not numbered yet
    customer = _customer()
    payments = [Payment.objects.get(order=on_account(customer)) for _ in range(5)]
    Invoice.objects.all().delete()

    # when all five are issued at once
    invoices = parallel([lambda p=p: invoice_issue(payment_id=p.pk) for p in payments])

    # then each has its own number, none skipped
    year = timezone.localdate().year
    assert sorted(i.number for i in invoices) == [f"INV-{year}-{n:06d}" for n in range(6, 11)]
