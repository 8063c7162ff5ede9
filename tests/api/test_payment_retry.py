"""POST /api/v1/orders/<number>/payment/: a storefront pays its order held for a failed payment with a new card."""

import pytest
from rest_framework.test import APIClient

from orders.models import Order
from payments.models import Payment
from tests.factories import storefront_with_key


@pytest.fixture
def declined(api, mug, order_body, commit):
    """An order of the storefront whose card was declined: on hold, payment failed."""
    order_body["payment"]["token"] = "tok_decline"
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]
    order = Order.objects.get(number=number)
    assert (order.status, order.hold_reason) == ("on_hold", "payment_failed")
    return order


def pay(client, order, body, **headers):
    return client.post(f"/api/v1/orders/{order.number}/payment/", body, format="json", **headers)


def test_a_good_card_confirms_the_order(api, declined, commit):
    # when
    with commit():
        response = pay(api, declined, {"method": "card", "token": "tok_ok"})

    # then the order comes back as the order endpoints render it, confirmed
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == declined.number
    assert (body["status"], body["hold_reason"]) == ("confirmed", "")
    assert body["payment"]["status"] == "authorized" and body["payment"]["authorized"] == str(declined.total)
    assert [e["to_status"] for e in body["events"]][-3:] == ["credit_approved", "paid", "confirmed"]
    assert body["events"][-3]["actor"] == "customer"  # the storefront acted for its customer
    assert list(Payment.objects.filter(order=declined).order_by("pk").values_list("status", flat=True)) == [
        "declined",
        "authorized",
    ]


def test_a_declined_card_answers_200_with_the_order_on_hold_again(api, declined):
    response = pay(api, declined, {"method": "card", "token": "tok_decline"})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["hold_reason"], body["payment"]["status"]) == ("on_hold", "payment_failed", "declined")


def test_an_order_not_held_for_a_failed_payment_is_409(api, mug, order_body, commit, order_snapshot):
    with commit():
        number = api.post("/api/v1/orders/", order_body, format="json").json()["number"]
    order = Order.objects.get(number=number)
    assert order.status == "confirmed"
    before = order_snapshot(order)

    response = pay(api, order, {"method": "card", "token": "tok_ok"})

    assert response.status_code == 409
    assert response.json()["code"] == "payment_not_failed"
    assert "only an order on hold because its payment failed" in response.json()["detail"]
    assert order_snapshot(order) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "method"),
        ({"method": "card"}, "token"),
        ({"method": "bank_transfer", "token": "tok_ok"}, "method"),
        ({"method": "card", "token": ""}, "token"),
        ({"method": "card", "token": "tok ok"}, "token"),
        ({"method": "card", "token": "tok_\u00fc"}, "token"),
        ({"method": "card", "token": "t" * 101}, "token"),
        ({"method": "card", "token": "tok_\x00"}, "token"),
        ({"method": "card", "token": {"number": "4242"}}, "token"),
        ([], "non_field_errors"),
    ],
)
def test_a_bad_body_is_400_naming_the_field_and_nothing_changes(api, declined, order_snapshot, body, field):
    before = order_snapshot(declined)

    response = pay(api, declined, body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert order_snapshot(declined) == before


def test_another_storefront_gets_404(declined, order_snapshot):
    _, key = storefront_with_key("other shop")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    before = order_snapshot(declined)

    response = pay(other, declined, {"method": "card", "token": "tok_ok"})

    assert response.status_code == 404
    assert order_snapshot(declined) == before


@pytest.mark.parametrize(("role", "status"), [("order desk", 200), ("finance", 200), ("warehouse", 403)])
def test_staff_need_the_release_permission(staff_api, declined, order_snapshot, role, status):
    before = order_snapshot(declined)

    response = pay(staff_api(role), declined, {"method": "card", "token": "tok_ok"})

    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "permission_denied"
        assert order_snapshot(declined) == before


def test_a_retried_request_with_the_same_idempotency_key_pays_once(api, declined):
    first = pay(api, declined, {"method": "card", "token": "tok_ok"}, HTTP_IDEMPOTENCY_KEY="retry-1")
    second = pay(api, declined, {"method": "card", "token": "tok_ok"}, HTTP_IDEMPOTENCY_KEY="retry-1")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert Payment.objects.filter(order=declined).count() == 2


def test_the_schema_documents_the_endpoint(client, db):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/orders/{number}/payment/"]["post"]
    assert operation["operationId"] == "orders_payment_retry"
    assert set(operation["responses"]) >= {"200", "400", "403", "404", "409"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][body]["required"]) == {"method", "token"}
