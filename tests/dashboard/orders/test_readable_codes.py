"""The order page speaks words, not codes: payment method and status, and which email went out."""

from orders.models import HoldReason
from orders.services import order_transition
from tests.factories import StaffFactory


def test_payment_method_and_status_are_shown_by_name(staff_client, order_in_state):
    # given a bank transfer that waits for its funds
    order = order_in_state("credit_approved")

    # when
    page = staff_client("order desk").get(f"/dashboard/orders/{order.number}/").text

    # then
    assert "<dd>Bank transfer</dd>" in page
    assert "<dd>Awaiting funds</dd>" in page
    assert "bank_transfer" not in page.replace('value="bank_transfer"', "")


def test_timeline_names_the_on_hold_email_in_words(staff_client, order_in_state, commit):
    # given an order held for an address problem (the customer is emailed)
    order = order_in_state("confirmed")
    with commit():
        order_transition(
            order_id=order.pk,
            name="hold",
            user=StaffFactory(role="manager"),
            reason="Street missing",
            hold_reason=HoldReason.ADDRESS_PROBLEM,
        )

    # when
    page = staff_client("order desk").get(f"/dashboard/orders/{order.number}/").text

    # then
    assert "Emailed the customer: on hold" in page
    assert "on_hold" not in page.replace("s-on_hold", "")
