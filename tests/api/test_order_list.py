"""``GET /orders/``: filter by status and updated_since, paginated, newest first."""

import pytest
from django.utils import timezone

from orders.models import Order


def place(api, body, commit, quantity=1) -> str:
    body["lines"][0]["quantity"] = quantity
    with commit():
        return api.post("/api/v1/orders/", body, format="json").json()["number"]


@pytest.fixture
def confirmed_and_held(api, mug, order_body, commit):
    """Two confirmed orders and one held out of stock (60 mugs of 50)."""
    return {
        "confirmed": [place(api, order_body, commit), place(api, order_body, commit)],
        "on_hold": [place(api, order_body, commit, quantity=60)],
    }


def numbers(response) -> set[str]:
    return {o["number"] for o in response.json()["results"]}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("confirmed", ["confirmed"]),
        ("on_hold", ["on_hold"]),
        ("on_hold,confirmed", ["confirmed", "on_hold"]),
        ("shipped", []),
    ],
)
def test_status_filter(status, expected, confirmed_and_held, api):
    # when
    response = api.get("/api/v1/orders/", {"status": status})

    # then
    assert response.status_code == 200
    assert numbers(response) == {n for s in expected for n in confirmed_and_held[s]}


@pytest.mark.parametrize("status", ["shipping", "CONFIRMED", "confirmed,nope"])
def test_unknown_status_is_400(status, confirmed_and_held, api):
    response = api.get("/api/v1/orders/", {"status": status})

    assert response.status_code == 400
    assert "status" in response.json()


def test_updated_since_returns_what_changed_after_that_moment(api, mug, order_body, commit):
    # given one order, a moment, then another order
    older = place(api, order_body, commit)
    moment = timezone.now()
    newer = place(api, order_body, commit)

    # when
    response = api.get("/api/v1/orders/", {"updated_since": moment.isoformat()})

    # then
    assert response.status_code == 200
    assert numbers(response) == {newer}
    assert older not in numbers(response)


def test_updated_since_includes_an_order_that_changed_later(api, mug, order_body, commit):
    # given an older order that is cancelled after the moment
    older = place(api, order_body, commit)
    moment = timezone.now()
    with commit():
        api.post(f"/api/v1/orders/{older}/cancel/", format="json")

    # when
    response = api.get("/api/v1/orders/", {"updated_since": moment.isoformat()})

    # then
    assert numbers(response) == {older}


def test_updated_since_takes_a_utc_offset_written_with_a_plus(api, mug, order_body, commit):
    # given
    place(api, order_body, commit)

    # when the "+" arrives unencoded, read as a space
    response = api.get("/api/v1/orders/?updated_since=2000-01-01T00:00:00+00:00")

    # then
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("value", ["yesterday", "2026-13-45T00:00:00Z", "12345"])
def test_bad_updated_since_is_400(value, api, mug):
    response = api.get("/api/v1/orders/", {"updated_since": value})

    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_pages_follow_page_size(confirmed_and_held, api):
    # when
    first = api.get("/api/v1/orders/", {"page_size": 2}).json()
    second = api.get("/api/v1/orders/", {"page_size": 2, "page": 2}).json()

    # then
    assert first["count"] == 3
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert first["next"] and second["next"] is None
    everything = [o["number"] for o in first["results"] + second["results"]]
    assert everything == list(Order.objects.order_by("-placed_at", "-pk").values_list("number", flat=True))


def test_a_page_past_the_end_is_404(confirmed_and_held, api):
    response = api.get("/api/v1/orders/", {"page_size": 2, "page": 3})

    assert response.status_code == 404


def test_list_entries_carry_the_order_fields(confirmed_and_held, api):
    entry = api.get("/api/v1/orders/", {"status": "confirmed"}).json()["results"][0]

    assert {
        "number",
        "status",
        "currency",
        "subtotal",
        "shipping_total",
        "tax_total",
        "total",
        "lines",
        "tracking_url",
    } <= set(entry)


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-01T00:00:00+16:00",
        "2026-01-01T00:00:00-23:59",
        "0001-01-01T00:00:00+01:00",
        "0000-01-01T00:00:00Z",
        "2026-13-01T00:00:00Z",
    ],
)
def test_updated_since_that_the_database_cannot_compare_is_a_400(api, value):
    # given a date-time with an offset beyond ±15:59, or one before year 1 once in UTC
    # when the storefront lists orders changed since then
    response = api.get("/api/v1/orders/", {"updated_since": value})
    # then it is told which parameter is wrong
    assert response.status_code == 400, response.content
    assert "updated_since" in response.json()


def test_updated_since_at_the_largest_offset_still_works(api):
    response = api.get("/api/v1/orders/", {"updated_since": "2026-01-01T00:00:00+15:59"})
    assert response.status_code == 200
