"""Orders awaiting a bank transfer, with their amount and age, to match against the bank statement: on finance's
home queue and on their own page, sortable by age and amount."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders import services
from orders.models import Order
from tests.dashboard.roles import ROLES
from tests.factories import StaffFactory, StockItemFactory, WarehouseFactory

URL = "/dashboard/finance/awaiting-funds/"


@pytest.fixture
def waiting(order_in_state):
    """Three orders awaiting funds placed 2, 9 and 5 days ago, of 1, 3 and 2 units at 10.00: the oldest is the
    largest."""
    now = timezone.now()
    orders = {}
    for days, quantity in ((2, 1), (9, 3), (5, 2)):
        sku = StockItemFactory(warehouse=WarehouseFactory(code="MAIN")).product.sku
        order = order_in_state("credit_approved", lines=[(sku, quantity)])
        Order.objects.filter(pk=order.pk).update(placed_at=now - timedelta(days=days))
        orders[days] = Order.objects.get(pk=order.pk)
    assert orders[9].total > orders[5].total > orders[2].total
    return orders


def _numbers(page: str, orders) -> list[str]:
    found = [(page.index(o.number), o.number) for o in orders]
    return [number for _at, number in sorted(found)]


def test_the_list_shows_reference_customer_amount_placed_and_days_waiting(staff_client, waiting):
    response = staff_client("finance").get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    oldest = waiting[9]
    assert oldest.number in page and oldest.customer.name in page
    assert f"{oldest.total:,.2f} {oldest.currency}" in page
    assert f"{timezone.localtime(oldest.placed_at):%-d %b %Y}" in page
    assert '<td class="num">9</td>' in page
    # oldest first by default
    assert _numbers(page, waiting.values()) == [waiting[9].number, waiting[5].number, waiting[2].number]


@pytest.mark.parametrize(
    "sort, expected", [("-age", [2, 5, 9]), ("-amount", [9, 5, 2]), ("amount", [2, 5, 9]), ("age", [9, 5, 2])]
)
def test_it_sorts_by_age_and_amount(staff_client, waiting, sort, expected):
    page = staff_client("finance").get(URL, {"sort": sort}).content.decode()

    assert _numbers(page, waiting.values()) == [waiting[d].number for d in expected]


def test_an_unknown_sort_is_the_default(staff_client, waiting):
    response = staff_client("finance").get(URL, {"sort": "total; drop table"})

    assert response.status_code == 200
    assert _numbers(response.content.decode(), waiting.values())[0] == waiting[9].number


def test_a_part_payment_shows_what_is_still_due(staff_client, waiting):
    order = waiting[9]
    services.order_mark_paid(order_id=order.pk, user=StaffFactory(role="finance"), amount=Decimal("12.50"))

    page = staff_client("finance").get(URL).content.decode()

    assert f"{order.total - Decimal('12.50'):,.2f} {order.currency}" in page
    assert f"12.50 {order.currency} of {order.total:,.2f} {order.currency}" in page


def test_paid_orders_leave_the_list(staff_client, waiting):
    services.order_mark_paid(order_id=waiting[2].pk, user=StaffFactory(role="finance"))

    page = staff_client("finance").get(URL).content.decode()

    assert waiting[2].number not in page and waiting[5].number in page


def test_the_home_queue_shows_amount_and_days_waiting(staff_client, waiting):
    page = staff_client("finance").get("/dashboard/").content.decode()

    queue = page[page.index('id="q-funds"') :]
    assert f"{waiting[9].total:,.2f} {waiting[9].currency}" in queue
    assert "9 days waiting" in queue and "2 days waiting" in queue


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_it(staff_client, db, role):
    client = staff_client(role)

    response = client.get(URL)

    allowed = role in {"finance", "manager"}
    assert response.status_code == (200 if allowed else 403)
    nav = client.get("/dashboard/").content.decode() if role else ""
    assert (f'href="{URL}"' in nav) == allowed
