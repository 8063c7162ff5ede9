"""Bulk actions on the order list report, per order, what happened."""

from orders.models import Order


def test_bulk_start_fulfillment_reports_done_and_refused(desk, order_in_state):
    ready = order_in_state("confirmed")
    held = order_in_state("on_hold")

    response = desk.post(
        "/dashboard/orders/bulk/",
        {"action": "start_fulfillment", "orders": [ready.number, held.number, "NOSUCH12"], "query": "status=confirmed"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/dashboard/orders/?status=confirmed"
    assert Order.objects.get(pk=ready.pk).status == "fulfilling"
    assert Order.objects.get(pk=held.pk).status == "on_hold"
    text = response.text
    assert "Start fulfillment: 1 done, 2 refused" in text
    assert "Done: now fulfilling." in text
    assert "Refused: Cannot start fulfillment an order that is on hold." in text
    assert "Refused: No such order." in text


def test_bulk_over_htmx_returns_the_refreshed_results_with_the_report(desk, order_in_state):
    ready = order_in_state("confirmed")

    response = desk.post(
        "/dashboard/orders/bulk/",
        {"action": "start_fulfillment", "orders": [ready.number], "query": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "1 done, 0 refused" in response.text
    assert "badge s-fulfilling" in response.text


def test_bulk_hold_needs_reason_code_and_note(desk, order_in_state, order_snapshot):
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    response = desk.post("/dashboard/orders/bulk/", {"action": "hold", "orders": [order.number]}, follow=True)

    assert "Choose why the orders are held." in response.text
    assert "Say why the orders are held." in response.text
    assert order_snapshot(order) == before


def test_bulk_hold_and_release(desk, order_in_state):
    first, second = order_in_state("confirmed"), order_in_state("confirmed")

    desk.post(
        "/dashboard/orders/bulk/",
        {"action": "hold", "orders": [first.number, second.number], "hold_reason": "fraud_review", "reason": "Check"},
    )
    assert set(Order.objects.filter(pk__in=[first.pk, second.pk]).values_list("hold_reason", flat=True)) == {
        "fraud_review"
    }

    desk.post("/dashboard/orders/bulk/", {"action": "release", "orders": [first.number, second.number]})

    assert set(Order.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"confirmed"}


def test_bulk_pick_lists_go_to_the_pick_list_page(desk, order_in_state):
    first, second = order_in_state("fulfilling"), order_in_state("fulfilling")

    response = desk.post("/dashboard/orders/bulk/", {"action": "pick_list", "orders": [first.number, second.number]})

    assert response.status_code == 302
    assert response.url == f"/dashboard/fulfillment/pick-list/?orders={first.number}%2C{second.number}"


def test_bulk_with_nothing_selected(desk, db):
    response = desk.post("/dashboard/orders/bulk/", {"action": "start_fulfillment"}, follow=True)

    assert "Select at least one order." in response.text


def test_bulk_query_cannot_redirect_elsewhere(desk, db):
    response = desk.post("/dashboard/orders/bulk/", {"action": "start_fulfillment", "query": "//evil.example/x"})

    assert response.url == "/dashboard/orders/"
