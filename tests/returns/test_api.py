"""The returns API: the exact contract, a storefront sees only returns of its own orders, Idempotency-Key,
bad input 400 naming the field, and which staff role may take which transition (403 otherwise, 409 not now)."""

import pytest
from rest_framework.test import APIClient

from returns.models import ReturnRequest
from tests.factories import storefront_with_key

BODY = {"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "no_longer_needed", "comment": "Too big"}]}


@pytest.fixture
def shop_order(delivered_order, storefront):
    """A delivered order of three mugs placed by the ``api`` client's storefront."""
    return delivered_order(3, storefront_id=storefront.pk)


def test_a_storefront_opens_a_return_and_reads_it_back(api, shop_order):
    # when
    created = api.post(f"/api/v1/orders/{shop_order.number}/returns/", BODY, format="json")

    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert {"number", "order", "status", "resolution", "lines", "refund_total", "replacement_order", "events"} <= set(
        body
    )
    assert "label_url" in body
    assert body["number"] == f"R-{shop_order.number}-1"
    assert (body["order"], body["status"], body["resolution"]) == (shop_order.number, "requested", "refund")
    assert {k: body["lines"][0][k] for k in ("sku", "quantity", "reason", "condition")} == {
        "sku": "MUG-1",
        "quantity": 1,
        "reason": "no_longer_needed",
        "condition": "",
    }
    assert (body["refund_total"], body["replacement_order"], body["label_url"]) == ("0.00", None, None)
    assert [e["to_status"] for e in body["events"]] == ["requested"]
    assert api.get(f"/api/v1/returns/{body['number']}/").json() == body
    assert api.get(f"/api/v1/orders/{shop_order.number}/returns/").json() == [body]


def test_an_authorized_return_carries_its_label_link(api, shop_order, settings, commit):
    settings.OMS_RETURN_AUTO_AUTHORIZE_REASONS = ["damaged"]
    with commit():
        created = api.post(
            f"/api/v1/orders/{shop_order.number}/returns/",
            {"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "damaged"}]},
            format="json",
        )
    body = api.get(f"/api/v1/returns/{created.json()['number']}/").json()
    assert body["status"] == "authorized"
    assert "/api/v1/returns/labels/" in body["label_url"]
    assert APIClient().get(body["label_url"].split("testserver")[-1]).status_code == 200


def test_an_exchange_names_what_comes_instead(api, shop_order):
    response = api.post(
        f"/api/v1/orders/{shop_order.number}/returns/",
        {**BODY, "resolution": "exchange", "exchange_lines": [{"sku": "MUG-1", "quantity": 1}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["resolution"] == "exchange"


def test_another_storefront_sees_nothing_of_it(api, shop_order):
    # given
    number = api.post(f"/api/v1/orders/{shop_order.number}/returns/", BODY, format="json").json()["number"]
    _, key = storefront_with_key("rival")
    rival = APIClient()
    rival.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    # then
    assert rival.get(f"/api/v1/returns/{number}/").status_code == 404
    assert rival.get(f"/api/v1/orders/{shop_order.number}/returns/").status_code == 404
    assert rival.post(f"/api/v1/orders/{shop_order.number}/returns/", BODY, format="json").status_code == 404
    assert ReturnRequest.objects.count() == 1


def test_a_storefront_sees_the_timeline_as_the_customer_may(api, shop_order, staff_api):
    number = api.post(f"/api/v1/orders/{shop_order.number}/returns/", BODY, format="json").json()["number"]
    staff_api("support").post(f"/api/v1/returns/{number}/transitions/reject/", {"reason": "Used"}, format="json")
    events = api.get(f"/api/v1/returns/{number}/").json()["events"]
    assert [(e["to_status"], e["actor"], e["note"]) for e in events] == [
        ("requested", "customer", ""),
        ("rejected", "staff", "Used"),
    ]
    assert "inspector_notes" not in api.get(f"/api/v1/returns/{number}/").json()["lines"][0]


def test_a_retry_with_the_same_idempotency_key_opens_one_return(api, shop_order):
    # when
    first = api.post(f"/api/v1/orders/{shop_order.number}/returns/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post(f"/api/v1/orders/{shop_order.number}/returns/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    # then
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ReturnRequest.objects.count() == 1


@pytest.mark.parametrize(
    "body, path",
    [
        ({"lines": []}, ["lines"]),
        ({"lines": [{"sku": "MUG-1", "quantity": 0, "reason": "damaged"}]}, ["lines", 0, "quantity"]),
        ({"lines": [{"sku": "MUG-1", "quantity": 4, "reason": "damaged"}]}, ["lines", "0", "quantity"]),
        ({"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "meh"}]}, ["lines", "0", "reason"]),
        ({"lines": [{"sku": "NOPE", "quantity": 1, "reason": "damaged"}]}, ["lines", "0", "sku"]),
        ({**BODY, "resolution": "store_credit"}, ["resolution"]),
        ({**BODY, "resolution": "exchange"}, ["exchange_lines"]),
        ("not json", ["non_field_errors"]),
    ],
)
def test_bad_input_is_400_naming_the_field(body, path, api, shop_order):
    # when
    response = api.post(f"/api/v1/orders/{shop_order.number}/returns/", body, format="json")

    # then
    assert response.status_code == 400, response.content
    node = response.json()
    for step in path:
        node = node[int(step)] if isinstance(node, list) else node[str(step)]
    assert node
    assert ReturnRequest.objects.count() == 0


def test_a_return_on_an_undelivered_order_is_409(api, order_in_state, storefront, mug):
    order = order_in_state("shipped", lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    response = api.post(f"/api/v1/orders/{order.number}/returns/", BODY, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "return_not_allowed")


# --- staff ---------------------------------------------------------------------------------------------------
# role -> the transitions it may take on a return in each state
MATRIX = {
    "requested": {
        "authorize": {"support", "manager"},
        "reject": {"support", "manager"},
        "cancel": {"support", "manager"},
    },
    "authorized": {"receive": {"warehouse", "manager"}, "cancel": {"support", "manager"}},
    "received": {"inspect": {"warehouse", "manager"}},
}
ROLES = ["order desk", "warehouse", "finance", "support", "manager"]


@pytest.mark.parametrize("state", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_staff_see_exactly_the_transitions_their_role_may_take_now(state, role, return_in_state, staff_api):
    created = return_in_state(state)
    response = staff_api(role).get(f"/api/v1/returns/{created.number}/transitions/")
    if role == "order desk":  # sees orders, takes no return transition
        assert response.status_code == 200 and response.json() == []
        return
    expected = {name for name, roles in MATRIX[state].items() if role in roles}
    assert {t["name"] for t in response.json()} == expected
    assert all(set(t) == {"name", "target"} for t in response.json())


PARAMS = {
    "reject": {"reason": "Outside the policy"},
    "receive": {"warehouse": "MAIN"},
    "inspect": {"lines": [{"sku": "MUG-1", "quantity": 1, "condition": "resellable"}]},
}


@pytest.mark.parametrize("state", MATRIX)
@pytest.mark.parametrize("role", ["warehouse", "finance", "support"])
def test_a_transition_without_the_permission_is_403_and_changes_nothing(state, role, return_in_state, staff_api):
    # given
    created = return_in_state(state)
    client = staff_api(role)

    for name, roles in MATRIX[state].items():
        if role in roles:
            continue
        # when
        response = client.post(
            f"/api/v1/returns/{created.number}/transitions/{name}/", PARAMS.get(name, {}), format="json"
        )

        # then
        assert response.status_code == 403, (name, response.content)
        assert ReturnRequest.objects.get(pk=created.pk).status == state


@pytest.mark.parametrize("state", MATRIX)
def test_each_allowed_transition_answers_with_the_return(state, return_in_state, staff_api, commit):
    for name in MATRIX[state]:
        created = return_in_state(state)
        with commit():
            response = staff_api("manager").post(
                f"/api/v1/returns/{created.number}/transitions/{name}/", PARAMS.get(name, {}), format="json"
            )
        assert response.status_code == 200, (name, response.content)
        assert response.json()["number"] == created.number
        assert response.json()["status"] == ReturnRequest.objects.get(pk=created.pk).status != state


def test_a_transition_not_allowed_now_is_409_and_an_unknown_one_404(return_in_state, staff_api):
    created = return_in_state("requested")
    manager = staff_api("manager")
    assert manager.post(f"/api/v1/returns/{created.number}/transitions/close/").status_code == 409
    assert manager.post(f"/api/v1/returns/{created.number}/transitions/explode/").status_code == 404
    assert ReturnRequest.objects.get(pk=created.pk).status == "requested"


def test_staff_open_a_return_on_the_customers_behalf(staff_api, delivered_order):
    order = delivered_order(1)
    response = staff_api("support").post(f"/api/v1/orders/{order.number}/returns/", BODY, format="json")
    assert response.status_code == 201, response.content
    assert ReturnRequest.objects.get().opened_by == "staff"
    refused = staff_api("warehouse").post(f"/api/v1/orders/{order.number}/returns/", BODY, format="json")
    assert refused.status_code == 403


def test_inspection_input_is_checked_naming_the_field(return_in_state, staff_api):
    created = return_in_state("received")
    response = staff_api("warehouse").post(
        f"/api/v1/returns/{created.number}/transitions/inspect/",
        {"lines": [{"sku": "MUG-1", "quantity": 1, "condition": "shiny"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "condition" in response.json()["lines"]["0"]
