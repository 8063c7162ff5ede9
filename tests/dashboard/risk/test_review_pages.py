"""The fraud review pages: the queue with the reasons, one order's review (approve, reject), the rules and deny list.
Who may open them is the navigation matrix (tests/dashboard/test_navigation.py, "Fraud review")."""

import pytest

from orders.models import DenyListEntry, Order, RiskPolicy, RiskRule
from tests.factories import AddressInputFactory, OrderFactory, ProductFactory, StockItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(commit, warehouse):
    StockItemFactory(product=ProductFactory(sku="TV-1", price="1200.00"), warehouse=warehouse, on_hand=5)
    with commit():
        order = OrderFactory(
            customer_email="eve@example.com",
            lines=[("TV-1", 1)],
            billing_address=AddressInputFactory(country="FR", city="Paris", postal_code="75001"),
        )
    order = Order.objects.get(pk=order.pk)
    assert order.hold_reason == "fraud_review"
    return order


@pytest.mark.parametrize(("role", "allowed"), [("finance", True), ("manager", True), ("order desk", False),
                                               ("support", False), ("warehouse", False)])  # fmt: skip
def test_the_queue_and_review_page_show_the_reasons_to_reviewers_only(staff_client, held, role, allowed):
    client = staff_client(role)

    queue = client.get("/dashboard/risk/")
    review = client.get(f"/dashboard/risk/{held.number}/")
    approve = client.post(f"/dashboard/risk/{held.number}/approve/", {})

    if allowed:
        assert held.number in queue.text and "Billed to FR, shipped to DE" in queue.text
        assert "The customer&#x27;s history" in review.text or "customer's history" in review.text
        assert approve.status_code == 302
    else:
        assert (queue.status_code, review.status_code, approve.status_code) == (403, 403, 403)
        assert Order.objects.get(pk=held.pk).status == "on_hold"


def test_a_reviewer_rejects_and_denies_the_email_from_the_page(staff_client, held, commit):
    client = staff_client("finance")

    with commit():
        response = client.post(
            f"/dashboard/risk/{held.number}/reject/", {"reject-note": "Stolen card", "reject-deny": ["email"]}
        )

    assert response.status_code == 302
    assert Order.objects.get(pk=held.pk).status == "cancelled"
    assert DenyListEntry.objects.filter(kind="email", value="eve@example.com").exists()


def test_the_rules_and_hold_score_are_edited_on_the_settings_page(staff_client):
    client = staff_client("manager")
    data = {"policy-hold_score": "80"}
    for code, fields in {
        "email_velocity": {"count": "10", "window_hours": "2"},
        "card_velocity": {"count": "5", "window_hours": "1"},
        "country_mismatch": {"amount": "250.00"},
        "first_order": {"amount": "1000.00"},
        "deny_list": {},
        "declines": {"count": "3", "window_hours": "24"},
    }.items():
        data.update(
            {f"{code}-weight": "50", f"{code}-is_active": "on", **{f"{code}-{k}": v for k, v in fields.items()}}
        )
    data.pop("first_order-is_active")

    response = client.post("/dashboard/risk/settings/rules/", data)

    assert response.status_code == 302
    assert RiskPolicy.objects.get().hold_score == 80
    assert RiskRule.objects.get(code="country_mismatch").amount == 250
    assert RiskRule.objects.get(code="first_order").is_active is False
    assert client.get("/dashboard/risk/settings/").status_code == 200


def test_a_deny_list_entry_is_added_and_removed_on_the_settings_page(staff_client):
    client = staff_client("finance")

    added = client.post(
        "/dashboard/risk/settings/deny/",
        {"deny-kind": "address", "deny-line1": "5  High St.", "deny-postal_code": "80202", "deny-country": "us"},
    )
    missing = client.post("/dashboard/risk/settings/deny/", {"deny-kind": "email", "deny-value": ""})

    entry = DenyListEntry.objects.get()
    assert added.status_code == 302 and entry.value == "5 high st | 80202 | us"
    assert missing.status_code == 400
    assert client.post(f"/dashboard/risk/settings/deny/{entry.pk}/remove/").status_code == 302
    assert not DenyListEntry.objects.exists()
