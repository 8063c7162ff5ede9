"""The order list: filters, search of each kind, sorting, paging, empty states, htmx partial updates."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard.orders.selectors import CappedPaginator
from orders.models import Order
from tests.factories import OrderFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def orders(order_in_state, commit, warehouse):
    """A small shop: a confirmed web order, a held phone order, a shipped order, one from warehouse WEST."""
    confirmed = order_in_state("confirmed", customer_email="ann@example.com", customer_name="Ann Archer")
    held = order_in_state("on_hold", customer_email="bob@example.com", customer_name="Bob Baker", channel="phone")
    shipped = order_in_state("shipped", customer_email="cy@example.com", customer_name="Cy Cole")
    west = WarehouseFactory(code="WEST", priority=9)
    sku = StockItemFactory(warehouse=west).product.sku
    with commit():
        elsewhere = OrderFactory(customer_email="dee@example.com", customer_name="Dee Dunn", lines=[(sku, 1)])
    return {"confirmed": confirmed, "held": held, "shipped": shipped, "west": Order.objects.get(pk=elsewhere.pk)}


def numbers(response) -> set[str]:
    return {o.number for o in response.context["orders"]}


def test_default_list_shows_all_orders_newest_first(desk, orders):
    response = desk.get("/dashboard/orders/")

    assert response.status_code == 200
    listed = [o.number for o in response.context["orders"]]
    assert listed == [o.number for o in Order.objects.order_by("-placed_at", "-pk")]
    assert "4 orders" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=on_hold", ["held"]),
        ("status=shipped", ["shipped"]),
        ("channel=phone", ["held"]),
        ("hold_reason=fraud_review", ["held"]),
        ("queue=ready", ["confirmed", "west"]),
    ],
)
def test_each_filter_narrows_the_list(desk, orders, query, expected):
    response = desk.get(f"/dashboard/orders/?{query}")

    assert numbers(response) == {orders[name].number for name in expected}


def test_warehouse_filter(desk, orders):
    west = orders["west"].lines.get().allocations.get().warehouse

    response = desk.get(f"/dashboard/orders/?warehouse={west.pk}")

    assert numbers(response) == {orders["west"].number}


def test_customer_filter_names_the_customer(desk, orders):
    response = desk.get(f"/dashboard/orders/?customer={orders['held'].customer_id}")

    assert numbers(response) == {orders["held"].number}
    assert "Customer: <strong>Bob Baker</strong>" in response.text


def test_date_range_filter(desk, orders):
    old = orders["shipped"]
    Order.objects.filter(pk=old.pk).update(placed_at=timezone.now() - timedelta(days=30))
    today = timezone.localdate()

    recent = desk.get(f"/dashboard/orders/?date_from={today - timedelta(days=1)}&date_to={today}")
    past = desk.get(f"/dashboard/orders/?date_to={today - timedelta(days=20)}")

    assert old.number not in numbers(recent) and len(numbers(recent)) == 3
    assert numbers(past) == {old.number}


def test_inverted_date_range_shows_the_error_beside_the_field(desk, orders):
    response = desk.get("/dashboard/orders/?date_from=2025-02-01&date_to=2025-01-01")

    assert response.status_code == 200
    assert "Must be on or after the start date." in response.text


@pytest.mark.parametrize(
    "term",
    [
        lambda o: o["held"].customer.email,  # email, exact
        lambda o: "BOB@example",  # email, part, any case
        lambda o: o["held"].number,  # order number
        lambda o: o["held"].number.lower()[:6],  # number prefix, lower case
        lambda o: "bob bak",  # name, part
    ],
    ids=["email", "email-part", "number", "number-prefix", "name"],
)
def test_search_finds_the_order(desk, orders, term):
    response = desk.get("/dashboard/orders/", {"q": term(orders)})

    assert numbers(response) == {orders["held"].number}


def test_search_by_tracking_number(desk, orders):
    tracking = orders["shipped"].shipments.get().tracking_number

    response = desk.get("/dashboard/orders/", {"q": tracking})

    assert numbers(response) == {orders["shipped"].number}


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [("placed", "placed_at", False), ("-total", "total", True), ("number", "number", False)],
)
def test_sorting(desk, orders, sort, key, reverse):
    response = desk.get(f"/dashboard/orders/?sort={sort}")

    listed = list(response.context["orders"])
    assert [getattr(o, key) for o in listed] == sorted((getattr(o, key) for o in listed), reverse=reverse)


def test_priority_sort_puts_express_first(desk, order_in_state):
    standard = order_in_state("confirmed")
    express = order_in_state("confirmed", shipping_method="express")

    response = desk.get("/dashboard/orders/?queue=ready&sort=priority")

    assert [o.number for o in response.context["orders"]] == [express.number, standard.number]


def test_pagination_keeps_the_filters(desk, orders, monkeypatch):
    monkeypatch.setattr("dashboard.orders.selectors.order_list.PER_PAGE", 2)

    first = desk.get("/dashboard/orders/?sort=number")
    second = desk.get("/dashboard/orders/?sort=number&page=2")

    assert len(first.context["orders"]) == 2
    assert 'href="?sort=number&page=2"' in first.text
    assert "Page 1 of 2" in first.text
    assert numbers(first).isdisjoint(numbers(second)) and len(numbers(second)) == 2


def test_capped_count_pages_without_a_total(orders):
    paginator = CappedPaginator(Order.objects.order_by("pk"), 1)
    paginator.cap = 2

    page = paginator.page(2)

    assert paginator.count_capped and paginator.num_pages is None
    assert page.has_next() and page.has_previous()
    assert not paginator.page(4).has_next()


def test_bad_page_or_filter_values_never_fail(desk, orders):
    for query in ("page=abc", "page=-4", "page=99999", "warehouse=x", "status=nope", "customer=0", "q=%00"):
        assert desk.get(f"/dashboard/orders/?{query}").status_code == 200


def test_empty_states(desk, db):
    assert "No orders yet" in desk.get("/dashboard/orders/").text


def test_no_match_empty_state(desk, orders):
    assert "No orders match" in desk.get("/dashboard/orders/?q=nobody-like-this").text


def test_htmx_request_gets_only_the_results(desk, orders):
    response = desk.get("/dashboard/orders/?status=on_hold", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text
    assert orders["held"].number in response.text


def test_filter_form_works_without_javascript(desk, orders):
    response = desk.get("/dashboard/orders/?status=on_hold")

    assert 'method="get"' in response.text and 'hx-get="/dashboard/orders/"' in response.text
    assert '<option value="on_hold" selected>' in response.text


def test_list_query_count_is_constant(desk, orders, order_in_state):
    desk.get("/dashboard/orders/")
    with CaptureQueriesContext(connection) as few:
        desk.get("/dashboard/orders/")
    order_in_state("shipped")
    order_in_state("on_hold")
    with CaptureQueriesContext(connection) as more:
        desk.get("/dashboard/orders/")

    assert len(more) == len(few)


def test_paging_stops_at_the_depth_limit(orders):
    paginator = CappedPaginator(Order.objects.order_by("pk"), 1)
    paginator.cap, paginator.max_rows = 1, 2

    page = paginator.page(50)

    assert page.number == 2 and not page.has_next() and page.depth_limited
