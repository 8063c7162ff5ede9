"""What a storefront sees of an order's timeline: status changes, never staff names or internal text."""

from decimal import Decimal

import pytest

from orders import services
from orders.models import Order
from tests.factories import CustomerFactory, StaffFactory

# Two mugs by standard shipping to DE (no tax rate): 25.00 + 5.35 = 30.35.
TOTAL = Decimal("30.35")
ACTORS = {"customer", "staff", "system"}


@pytest.fixture
def placed(api, mug, order_body, commit):
    """``placed(body)``: an order placed by the storefront."""

    def place(body=order_body) -> Order:
        with commit():
            response = api.post("/api/v1/orders/", body, format="json")
        assert response.status_code == 201, response.content
        return Order.objects.get(number=response.json()["number"])

    return place


@pytest.fixture
def clerk(db):
    return StaffFactory(role="manager", username="clerk.jones")


def test_staff_notes_names_and_hold_text_stay_internal(api, staff_api, placed, clerk, commit):
    # given a storefront's order that a clerk noted, held with a free-text reason and released
    order = placed()
    services.order_note_add(order_id=order.pk, user=clerk, body="Disputed a card payment last year")
    with commit():
        services.order_transition(
            order_id=order.pk,
            name="hold",
            user=clerk,
            reason="Chargeback risk, ask the bank",
            hold_reason="fraud_review",
        )

    # when the storefront reads the held order
    held = api.get(f"/api/v1/orders/{order.number}/")

    # then it sees the status changes, the hold as its code, and nothing staff wrote or who they are
    assert held.status_code == 200
    events = held.json()["events"]
    assert [e["to_status"] for e in events] == ["placed", "verified", "credit_approved", "paid", "confirmed", "on_hold"]
    assert set(events[0]) == {"at", "from_status", "to_status", "actor", "note"}
    assert events[-1]["actor"] == "staff" and events[-1]["note"] == "fraud_review"
    assert {e["actor"] for e in events} <= ACTORS
    for secret in ("clerk", "Disputed", "Chargeback", "Internal note"):
        assert secret not in held.content.decode()

    # when the hold is released
    with commit():
        services.order_transition(order_id=order.pk, name="release", user=clerk, reason="Bank says fine")
    released = api.get(f"/api/v1/orders/{order.number}/").json()["events"]

    # then the old hold keeps no text at all, and the release is the staff's, without its reason
    assert [(e["to_status"], e["actor"], e["note"]) for e in released[-2:]] == [
        ("on_hold", "staff", ""),
        ("confirmed", "staff", ""),
    ]

    # and staff still see everything
    staff_view = staff_api("support").get(f"/api/v1/orders/{order.number}/").json()["events"]
    assert any(e["actor"] == "clerk.jones" and "Chargeback" in e["note"] for e in staff_view)


def test_credit_figures_stay_internal(api, storefront, staff_api, placed, order_body):
    # given an on-account order of the storefront's own customer, held because it is over the credit limit
    CustomerFactory(
        email="ann@example.com",
        payment_terms="on_account",
        credit_limit=TOTAL - Decimal("0.01"),
        storefront=storefront,
    )
    order_body["payment"] = {"method": "on_account"}
    order = placed(order_body)

    # when
    response = api.get(f"/api/v1/orders/{order.number}/")

    # then the hold shows as its code, without the limit or the balance
    events = response.json()["events"]
    assert (events[-1]["to_status"], events[-1]["actor"], events[-1]["note"]) == ("on_hold", "system", "credit")
    assert "30.34" not in response.content.decode()
    assert "30.34" in staff_api("finance").get(f"/api/v1/orders/{order.number}/").content.decode()


def test_an_approved_credit_check_shows_no_balance(api, storefront, placed, order_body):
    # given an on-account order of the storefront's own customer that fits under the limit
    CustomerFactory(email="ann@example.com", payment_terms="on_account", credit_limit=TOTAL * 3, storefront=storefront)
    order_body["payment"] = {"method": "on_account"}
    order = placed(order_body)

    # when
    events = api.get(f"/api/v1/orders/{order.number}/").json()["events"]

    # then
    approved = next(e for e in events if e["to_status"] == "credit_approved")
    assert (approved["actor"], approved["note"]) == ("system", "")
    assert order.events.get(to_status="credit_approved").note.startswith("On account")


def test_the_answer_to_a_storefront_cancel_is_filtered_too(api, placed, clerk):
    # given an order a clerk left an internal note on
    order = placed()
    services.order_note_add(order_id=order.pk, user=clerk, body="VIP, handle with care")

    # when the storefront cancels it
    response = api.post(f"/api/v1/orders/{order.number}/cancel/", {"reason": "Changed my mind"}, format="json")

    # then
    assert response.status_code == 200
    events = response.json()["events"]
    assert (events[-1]["to_status"], events[-1]["actor"]) == ("cancelled", "customer")
    assert "VIP" not in response.content.decode()
