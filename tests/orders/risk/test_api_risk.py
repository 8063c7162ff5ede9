"""Staff see an order's fraud screening in the API; storefronts only its status."""

import pytest

from orders.models import DenyListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_via_api(api, mug, order_body, commit):
    DenyListEntry.objects.create(kind="email", value="ann@example.com", added_by="test")
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 201, response.content
    return response


def test_a_storefront_sees_the_hold_but_never_the_risk(api, held_via_api):
    number = held_via_api.data["number"]

    detail = api.get(f"/api/v1/orders/{number}/").json()
    listed = api.get("/api/v1/orders/").json()["results"][0]

    assert "risk" not in held_via_api.json()
    assert (detail["status"], detail["hold_reason"]) == ("on_hold", "fraud_review")
    assert "risk" not in detail and "risk" not in listed
    assert "deny list" not in str(detail)


def test_staff_see_the_score_and_the_reasons(staff_api, held_via_api):
    client = staff_api("finance")
    number = held_via_api.data["number"]

    detail = client.get(f"/api/v1/orders/{number}/").json()
    listed = client.get("/api/v1/orders/").json()["results"][0]

    assert detail["risk"]["score"] == 100
    assert detail["risk"]["reasons"] == [
        {"rule": "deny_list", "points": 100, "detail": "On the deny list: email ann@example.com."}
    ]
    assert listed["risk"] == detail["risk"]
