"""Every page of the order list, in every sort, shows the orders an OFFSET over the sorted orders would.

The list reads a page's ids first and then those orders (``LateRows``); what a page shows must not change.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.orders.selectors import SORTS, OrderFilters, order_page_for_desk
from orders.models import Order


@pytest.fixture
def shop(order_in_state):
    states = ["confirmed", "on_hold", "shipped", "confirmed", "credit_approved", "in_transit", "cancelled"]
    return [order_in_state(state) for state in states]


@pytest.mark.parametrize("sort", [s for s in SORTS if s != "priority"])
def test_each_page_holds_the_orders_of_its_offset(shop, sort):
    everything = list(Order.objects.order_by(*SORTS[sort]).values_list("number", flat=True))

    pages = [order_page_for_desk(filters=OrderFilters(sort=sort), page=n, per_page=2) for n in (1, 2, 3, 4)]

    assert [[o.number for o in page.object_list] for page in pages] == [everything[i : i + 2] for i in (0, 2, 4, 6)]
    assert [page.has_next() for page in pages] == [True, True, True, False]


def test_a_filtered_page_holds_the_filtered_orders_of_its_offset(shop):
    confirmed = list(Order.objects.filter(status="confirmed").order_by("-placed_at", "-pk"))

    page = order_page_for_desk(filters=OrderFilters(status="confirmed"), page=2, per_page=1)

    assert list(page.object_list) == confirmed[1:2]
    assert page.paginator.count == 2


def test_rows_read_whole_with_what_they_show(desk, shop):
    """The status badge reads the payment status: no query per order awaiting funds."""
    desk.get("/dashboard/orders/")
    with CaptureQueriesContext(connection) as queries:
        response = desk.get("/dashboard/orders/")

    assert "Awaiting payment" in response.text
    assert not [q for q in queries.captured_queries if 'WHERE "orders_order"."id" = ' in q["sql"]]


def test_the_carrier_exception_queue_lists_the_orders_on_their_way_with_a_parcel_in_exception(
    desk, order_in_state, post_webhook
):
    first, second, fine = (order_in_state("shipped") for _ in range(3))
    for n, order in enumerate((first, second)):
        shipment = order.shipments.get()
        post_webhook({"event_id": f"x{n}", "tracking_number": shipment.tracking_number, "status": "exception"})

    response = desk.get("/dashboard/orders/?queue=exception")

    assert [o.number for o in response.context["orders"]] == [second.number, first.number]
    assert "2 orders match" in response.text
