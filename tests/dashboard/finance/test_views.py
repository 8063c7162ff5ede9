"""The order page's finance forms, the customer's balance, and the unpaid invoices queue on Home."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import services
from orders.models import Order
from payments.models import Payment
from tests.dashboard.finance.conftest import invoice_payment


def test_finance_records_an_invoice_payment_from_the_order_page(staff_client, on_account_order, business):
    # given
    order = on_account_order()
    finance = staff_client("finance")
    page = finance.get(f"/dashboard/orders/{order.number}/")
    assert "Record invoice payment" in page.text and 'name="invoice-received_on"' in page.text
    customer_page = finance.get(f"/dashboard/customers/{business.pk}/")
    assert customer_page.context["credit"].outstanding == order.total

    # when
    response = invoice_payment(finance, order, reference="BT-77", follow=True)

    # then the page says so, shows the settled payment, and offers the form no more
    assert response.redirect_chain == [(f"/dashboard/orders/{order.number}/", 302)]
    assert f"Invoice payment recorded: order {order.number} is paid" in response.text
    assert "Settled (invoice paid) · received" in response.text and "BT-77" in response.text
    assert f"Invoice paid: {order.total}" in response.text  # the timeline
    assert "Record invoice payment" not in response.text
    # and the customer's outstanding balance dropped
    customer_page = finance.get(f"/dashboard/customers/{business.pk}/")
    assert customer_page.context["credit"].outstanding == 0
    assert customer_page.context["credit"].remaining == business.credit_limit


def test_a_bad_date_is_shown_beside_the_field_and_nothing_is_recorded(staff_client, on_account_order, order_snapshot):
    order = on_account_order()
    before = order_snapshot(order)

    response = invoice_payment(staff_client("finance"), order, received_on=timezone.localdate() + timedelta(days=2))

    assert response.status_code == 400
    assert 'id="id_invoice-received_on-error"' in response.text and "cannot have arrived in the future" in response.text
    assert '<details class="transition-form" id="invoice-payment" open>' in response.text
    assert order_snapshot(order) == before


def test_a_date_before_the_order_is_refused_by_the_service_beside_the_field(
    staff_client, on_account_order, order_snapshot
):
    order = on_account_order()
    before = order_snapshot(order)

    response = invoice_payment(staff_client("finance"), order, received_on=timezone.localdate() - timedelta(days=5))

    assert response.status_code == 400
    assert "the payment cannot have arrived before" in response.text
    assert order_snapshot(order) == before


def test_recording_twice_says_it_was_done_already(staff_client, on_account_order):
    order = on_account_order()
    finance = staff_client("finance")
    invoice_payment(finance, order)

    response = invoice_payment(finance, order, follow=True)

    assert "already recorded as paid" in response.text
    assert Payment.objects.get(order=order).transactions.filter(kind="settle").count() == 1


def test_a_card_order_is_refused_with_a_message(staff_client, order_in_state, order_snapshot):
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    response = invoice_payment(staff_client("finance"), order, follow=True)

    assert "not on account: it has no invoice to settle" in response.text
    assert order_snapshot(order) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_busy_order_says_try_again(staff_client, on_account_order, order_snapshot, order_locked_elsewhere):
    # given
    order = on_account_order()
    before = order_snapshot(order)

    # when someone else holds the order while finance records its invoice payment
    with order_locked_elsewhere(order):
        response = invoice_payment(staff_client("finance"), order, follow=True)

    # then nothing is recorded, and the page says to try again
    assert response.status_code == 200
    assert "Someone else is changing this order, try again." in response.text
    assert order_snapshot(order) == before


def test_the_desk_pays_a_declined_order_with_a_new_card(staff_client, declined_order):
    # given
    order = declined_order()
    desk = staff_client("order desk")
    page = desk.get(f"/dashboard/orders/{order.number}/")
    assert "Retry payment with a new card" in page.text and "The card was declined." in page.text

    # when
    response = desk.post(f"/dashboard/orders/{order.number}/payment-retry/", {"retry-token": "tok_ok"}, follow=True)

    # then
    assert f"The new card was authorized: order {order.number} is confirmed." in response.text
    assert "New card entered; retrying the payment" in response.text
    assert "Retry payment with a new card" not in response.text
    assert Order.objects.get(pk=order.pk).status == "confirmed"


def test_a_second_decline_is_told_and_the_form_stays(staff_client, declined_order):
    order = declined_order()

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/payment-retry/", {"retry-token": "tok_decline"}, follow=True
    )

    assert "The new card did not pay either: The card was declined." in response.text
    assert "msg-error" in response.text
    assert "Retry payment with a new card" in response.text
    assert Payment.objects.filter(order=order).count() == 2


def test_a_bad_token_is_shown_beside_the_field_and_nothing_changes(staff_client, declined_order, order_snapshot):
    order = declined_order()
    before = order_snapshot(order)

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/payment-retry/", {"retry-token": "tok with spaces"}
    )

    assert response.status_code == 400
    assert 'id="id_retry-token-error"' in response.text and "without spaces" in response.text
    assert order_snapshot(order) == before


def test_a_retry_on_an_order_no_longer_held_is_refused_with_a_message(staff_client, order_in_state, order_snapshot):
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/payment-retry/", {"retry-token": "tok_ok"}, follow=True
    )

    assert "only an order on hold because its payment failed" in response.text
    assert order_snapshot(order) == before


def test_an_invalid_form_for_an_action_no_longer_possible_says_so(staff_client, order_in_state):
    order = order_in_state("confirmed")

    response = staff_client("order desk").post(
        f"/dashboard/orders/{order.number}/payment-retry/", {"retry-token": ""}, follow=True
    )

    assert f"Nothing to do: order {order.number} is confirmed now." in response.text


def test_an_unknown_order_is_404(staff_client, db):
    client = staff_client("manager")

    assert client.post("/dashboard/orders/NOSUCH1/payment-retry/", {"retry-token": "tok_ok"}).status_code == 404
    assert client.post("/dashboard/orders/NOSUCH1/invoice-payment/", {}).status_code == 404


# --- Home: unpaid invoices ---------------------------------------------------------------------------------
def test_finance_sees_unpaid_invoices_oldest_first_with_the_amount(staff_client, on_account_order, order_in_state):
    # given two open invoices, a card order, and a settled invoice
    older = on_account_order()
    newer = on_account_order()
    Order.objects.filter(pk=older.pk).update(placed_at=timezone.now() - timedelta(days=20))
    order_in_state("confirmed")
    settled = on_account_order()
    finance = staff_client("finance")
    services.order_invoice_settle(order_id=settled.pk, user=finance.user)

    # when
    response = finance.get("/dashboard/")

    # then
    queue = response.context["queues"]["unpaid_invoices"]
    assert [o.number for o in queue["rows"]] == [older.number, newer.number]
    assert queue["count"] == 2
    assert queue["owed"] == [{"currency": older.currency, "amount": older.total + newer.total}]
    assert ">Unpaid invoices <span" in response.text
    assert f"{older.total} {older.currency}" in response.text
    assert "/dashboard/orders/?queue=unpaid_invoices&amp;sort=placed" in response.text


def test_the_order_list_filters_unpaid_invoices(staff_client, on_account_order, order_in_state):
    invoice = on_account_order()
    order_in_state("confirmed")

    response = staff_client("finance").get("/dashboard/orders/?queue=unpaid_invoices&sort=placed")

    assert [o.number for o in response.context["orders"]] == [invoice.number]


def test_the_queue_is_empty_when_every_invoice_is_paid(staff_client, db):
    response = staff_client("finance").get("/dashboard/")

    assert "No invoice is waiting to be paid." in response.text


def test_the_queue_is_not_shown_to_roles_that_cannot_record_payments(staff_client, on_account_order):
    on_account_order()

    for role in ("order desk", "warehouse", "support"):
        response = staff_client(role).get("/dashboard/")
        assert "unpaid_invoices" not in response.context["queues"], role
        assert "Unpaid invoices" not in response.text, role


def test_a_cancelled_order_leaves_the_queue_even_before_its_invoice_is_voided(staff_client, on_account_order):
    open_one, cancelled = on_account_order(), on_account_order()
    finance = staff_client("finance")
    services.order_transition(order_id=cancelled.pk, name="cancel", user=finance.user, reason="x")
    assert Payment.objects.get(order=cancelled).status == "authorized"  # the void task has not run

    queue = finance.get("/dashboard/").context["queues"]["unpaid_invoices"]

    assert [o.number for o in queue["rows"]] == [open_one.number]
    assert queue["count"] == 1 and queue["owed"][0]["amount"] == open_one.total
