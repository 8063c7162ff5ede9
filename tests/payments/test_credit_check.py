"""Credit check: prepaid methods pass; on account needs credit terms and room under the limit."""

from decimal import Decimal

import pytest

from orders.models import Order
from payments.models import Payment
from tests.factories import CustomerFactory

# Two mugs by standard shipping to DE (no tax rate): 25.00 + 5.35 = 30.35.
TOTAL = Decimal("30.35")


def place(api, body, commit) -> Order:
    with commit():
        response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["number"])


@pytest.fixture
def on_account_body(order_body):
    order_body["payment"] = {"method": "on_account"}
    return order_body


def test_on_account_customer_within_the_limit_passes(api, storefront, mug, on_account_body, commit, mailoutbox):
    # given
    CustomerFactory(storefront=storefront, email="ann@example.com", payment_terms="on_account", credit_limit=TOTAL)

    # when
    order = place(api, on_account_body, commit)

    # then
    assert order.status == "confirmed"
    assert order.payment_status == "authorized"
    assert order.events.get(to_status="credit_approved").note.startswith("On account")
    assert len(mailoutbox) == 1


def test_on_account_customer_over_the_limit_is_held_for_credit(
    api, storefront, mug, on_account_body, commit, mailoutbox
):
    # given
    CustomerFactory(
        storefront=storefront, email="ann@example.com", payment_terms="on_account", credit_limit=TOTAL - Decimal("0.01")
    )

    # when
    order = place(api, on_account_body, commit)

    # then
    assert (order.status, order.hold_reason, order.held_from) == ("on_hold", "credit", "verified")
    assert "Credit limit 30.34 exceeded" in order.hold_note
    assert order.payments.get().status == "pending"
    assert order.lines.get().quantity_reserved == 2  # the stock stays reserved while credit is sorted out
    assert [m.subject for m in mailoutbox] == [f"Order {order.number} is on hold: we need your help"]


def test_open_invoices_count_against_the_limit(api, storefront, mug, on_account_body, commit):
    # given a first order that fits exactly under a limit for one and a half orders
    CustomerFactory(
        storefront=storefront, email="ann@example.com", payment_terms="on_account", credit_limit=TOTAL * Decimal("1.5")
    )
    first = place(api, on_account_body, commit)
    assert first.status == "confirmed"

    # when
    second = place(api, on_account_body, commit)

    # then
    assert (second.status, second.hold_reason) == ("on_hold", "credit")
    assert f"{TOTAL} outstanding" in second.hold_note


def test_prepaid_customer_paying_on_account_is_held_for_credit(api, storefront, mug, on_account_body, commit):
    # given a customer without credit terms, however high the limit
    CustomerFactory(
        storefront=storefront, email="ann@example.com", payment_terms="prepaid", credit_limit=Decimal("10000")
    )

    # when
    order = place(api, on_account_body, commit)

    # then
    assert (order.status, order.hold_reason) == ("on_hold", "credit")
    assert "no credit terms" in order.hold_note


def test_new_customer_paying_on_account_is_held_for_credit(api, storefront, mug, on_account_body, commit):
    # when
    order = place(api, on_account_body, commit)

    # then
    assert (order.status, order.hold_reason) == ("on_hold", "credit")


def test_release_after_raising_the_limit_approves_and_pays(api, storefront, mug, on_account_body, commit, staff_api):
    # given an order held for credit
    customer = CustomerFactory(
        storefront=storefront, email="ann@example.com", payment_terms="on_account", credit_limit=Decimal("10")
    )
    order = place(api, on_account_body, commit)
    customer.credit_limit = Decimal("100")
    customer.save()

    # when
    with commit():
        response = staff_api("finance").post(f"/api/v1/orders/{order.number}/transitions/release/", format="json")

    # then
    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("confirmed", "authorized")
    assert Payment.objects.get(order=order).authorized_amount == TOTAL


def test_card_payments_need_no_credit_terms(api, storefront, mug, order_body, commit):
    # given a customer without credit terms and no limit
    CustomerFactory(storefront=storefront, email="ann@example.com", payment_terms="prepaid", credit_limit=0)

    # when
    order = place(api, order_body, commit)

    # then
    assert order.status == "confirmed"
    assert order.events.get(to_status="credit_approved").note == "Prepaid"


def test_a_refused_order_does_not_use_up_the_credit_of_later_orders(
    api, storefront, mug, on_account_body, commit, mailoutbox
):
    # given a customer whose limit fits one order but not three times as much
    CustomerFactory(storefront=storefront, email="ann@example.com", payment_terms="on_account", credit_limit=TOTAL)
    on_account_body["lines"][0]["quantity"] = 6
    refused = place(api, on_account_body, commit)
    assert (refused.status, refused.hold_reason) == ("on_hold", "credit")

    # when a smaller order that fits comes next
    on_account_body["lines"][0]["quantity"] = 2
    order = place(api, on_account_body, commit)

    # then it passes: the refused order's amount is not counted as owed
    assert order.status == "confirmed"
    assert "0.00 outstanding" in order.events.get(to_status="credit_approved").note
