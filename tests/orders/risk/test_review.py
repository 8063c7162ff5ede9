"""Reviewers approve (the order carries on to payment) or reject (cancelled, optionally denied from then on)."""

import pytest

from inventory.models import StockItem
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import DenyListEntry
from orders.services import order_transition, transitions_available
from orders.services.risk import order_risk_approve, order_risk_reject
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(place, pricey):
    """A card order held for review: a large first order billed abroad."""
    from tests.factories import AddressInputFactory

    order = place(
        customer_email="eve@example.com",
        lines=[("TV-1", 1)],
        billing_address=AddressInputFactory(country="FR", city="Paris", postal_code="75001"),
    )
    assert order.hold_reason == "fraud_review"
    return order


def test_approving_releases_the_order_to_payment_and_confirmation(held, commit):
    reviewer = StaffFactory(role="finance")

    with commit():
        order_risk_approve(order_id=held.pk, user=reviewer, note="Known customer, called back")

    held.refresh_from_db()
    assert (held.status, held.risk_status, held.payment_status) == ("confirmed", "approved", "authorized")
    assert held.events.filter(note="Fraud review: approved (Known customer, called back)", actor=reviewer.username)


def test_rejecting_cancels_releases_stock_and_can_deny_the_email_and_address(held, commit):
    reviewer = StaffFactory(role="manager")

    with commit():
        order_risk_reject(order_id=held.pk, user=reviewer, note="Stolen card", deny=("email", "address"))

    held.refresh_from_db()
    assert (held.status, held.risk_status) == ("cancelled", "rejected")
    assert StockItem.objects.get(product__sku="TV-1").reserved == 0
    assert held.payments.get().status in ("pending", "voided")
    assert set(DenyListEntry.objects.values_list("kind", "value")) == {
        ("email", "eve@example.com"),
        ("address", "1 main st | 10115 | de"),
    }
    assert held.events.filter(note__startswith="Fraud review: rejected (Stolen card)").exists()
    assert held.events.filter(note__startswith="Added to the deny list").exists()


def test_the_next_order_from_a_denied_email_is_held(held, commit, place):
    with commit():
        order_risk_reject(order_id=held.pk, user=StaffFactory(role="manager"), deny=("email",))

    assert place(customer_email="EVE@example.com").hold_reason == "fraud_review"


@pytest.mark.parametrize("role", ["order desk", "support", "warehouse"])
def test_staff_without_the_review_permission_cannot_decide(held, role, order_snapshot):
    before = order_snapshot(held)
    user = StaffFactory(role=role)

    with pytest.raises(TransitionForbidden):
        order_risk_approve(order_id=held.pk, user=user)
    with pytest.raises(TransitionForbidden):
        order_risk_reject(order_id=held.pk, user=user)

    assert order_snapshot(held) == before


def test_a_plain_release_of_a_screening_hold_needs_the_review_permission(held, commit):
    desk, finance = StaffFactory(role="order desk"), StaffFactory(role="finance")

    assert "release" not in [t["name"] for t in transitions_available(order=held, user=desk)]
    with pytest.raises(TransitionForbidden):
        order_transition(order_id=held.pk, name="release", user=desk)

    with commit():
        order_transition(order_id=held.pk, name="release", user=finance)
    held.refresh_from_db()
    assert (held.status, held.risk_status) == ("confirmed", "approved")


def test_only_an_order_held_for_review_can_be_decided(place):
    order = place()

    with pytest.raises(TransitionNotAvailable):
        order_risk_approve(order_id=order.pk, user=StaffFactory(role="manager"))
