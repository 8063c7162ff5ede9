"""Permission matrix, role × finance action: what each role is shown, and what the server does when forced."""

import pytest

from orders.models import Order
from payments.models import Payment
from tests.dashboard.finance.conftest import RETRIERS, SETTLERS, invoice_payment
from tests.dashboard.roles import ROLES


def _settle(client, order):
    return invoice_payment(client, order, reference="BT-1")


def _retry(client, order):
    return client.post(f"/dashboard/orders/{order.number}/payment-retry/", {"retry-token": "tok_ok"})


# action: (the order it needs, roles allowed, form marker on the order page, forced request, did it happen?)
ACTIONS = {
    "record invoice payment": (
        "on_account_order",
        SETTLERS,
        "/invoice-payment/",
        _settle,
        lambda o: Payment.objects.get(order=o).status == "settled",
    ),
    "retry with a new card": (
        "declined_order",
        RETRIERS,
        "/payment-retry/",
        _retry,
        lambda o: Order.objects.get(pk=o.pk).status == "confirmed",
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_shown_and_forced(request, offered_and_forced, role, action):
    make, allowed, marker, force, happened = ACTIONS[action]
    order = request.getfixturevalue(make)()

    offered_and_forced(
        role, allowed, order, page=f"/dashboard/orders/{order.number}/", marker=marker, force=force, happened=happened
    )


@pytest.mark.parametrize("role", sorted(SETTLERS | RETRIERS))
def test_forms_are_offered_only_when_the_action_is_possible_now(staff_client, order_in_state, role):
    """A confirmed card order has neither an open invoice nor a failed payment: no form, whoever looks."""
    order = order_in_state("confirmed")

    text = staff_client(role).get(f"/dashboard/orders/{order.number}/").text

    assert "/invoice-payment/" not in text and "/payment-retry/" not in text


def test_each_form_only_on_its_own_kind_of_order(staff_client, on_account_order, declined_order):
    invoice, declined = on_account_order(), declined_order()
    manager = staff_client("manager")

    invoice_page = manager.get(f"/dashboard/orders/{invoice.number}/").text
    declined_page = manager.get(f"/dashboard/orders/{declined.number}/").text

    assert "/invoice-payment/" in invoice_page and "/payment-retry/" not in invoice_page
    assert "/payment-retry/" in declined_page and "/invoice-payment/" not in declined_page


def test_a_settled_invoice_offers_no_form_any_more(staff_client, on_account_order):
    order = on_account_order()
    finance = staff_client("finance")
    _settle(finance, order)

    assert "/invoice-payment/" not in finance.get(f"/dashboard/orders/{order.number}/").text


def test_forced_get_is_not_allowed(staff_client, on_account_order):
    order = on_account_order()
    finance = staff_client("finance")

    assert finance.get(f"/dashboard/orders/{order.number}/invoice-payment/").status_code == 405
    assert finance.get(f"/dashboard/orders/{order.number}/payment-retry/").status_code == 405
