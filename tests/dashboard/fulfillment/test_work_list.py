"""The fulfillment work list: orders to pack and to start, most urgent first, filterable by warehouse."""

from datetime import timedelta

from django.utils import timezone

from orders.models import Order

URL = "/dashboard/fulfillment/"


def positions(html: str, numbers: list[str]) -> list[int]:
    return [html.index(f">{n}</a>") for n in numbers]


def test_orders_come_express_first_then_by_ship_by_date_then_oldest(order_in_state, staff_client):
    # given
    today = timezone.localdate()
    standard_late = order_in_state("confirmed")
    express_second = order_in_state("fulfilling", shipping_method="express")
    standard_due = order_in_state("fulfilling")
    express_first = order_in_state("fulfilling", shipping_method="express")
    shipped = order_in_state("shipped", shipping_method="express")
    dates = {standard_late: 2, express_second: 3, standard_due: 0, express_first: 3}
    for order, days in dates.items():
        Order.objects.filter(pk=order.pk).update(promised_ship_date=today + timedelta(days=days))
    # placed_at breaks the tie between the two express orders
    Order.objects.filter(pk=express_first.pk).update(placed_at=express_second.placed_at - timedelta(hours=1))

    # when
    response = staff_client("warehouse").get(URL)

    # then
    html = response.text
    assert response.status_code == 200
    order = [express_first.number, express_second.number, standard_due.number, standard_late.number]
    assert positions(html, order) == sorted(positions(html, order))
    assert shipped.number not in html
    assert "Priority" in html


def test_rows_offer_pick_list_and_pack_or_start(order_in_state, staff_client):
    confirmed = order_in_state("confirmed")
    fulfilling = order_in_state("fulfilling")

    html = staff_client("warehouse").get(URL).text

    assert f"/dashboard/orders/{fulfilling.number}/pack/" in html
    assert f"/dashboard/orders/{confirmed.number}/start-fulfillment/" in html
    assert f"/dashboard/fulfillment/pick-list/?orders={confirmed.number}" in html
    assert f'name="orders" value="{confirmed.number}"' in html
    assert "Print pick lists for selected" in html


def test_filter_by_warehouse_keeps_orders_with_stock_allocated_there(
    order_in_state, kitchen, lamp, second_warehouse, staff_client
):
    # given
    main_only = order_in_state("fulfilling", lines=[("KIT-MUG", 1)])
    split = order_in_state("confirmed", lines=[("KIT-MUG", 1), ("HOM-LMP", 1)])

    # when
    response = staff_client("warehouse").get(URL, {"warehouse": second_warehouse.pk})

    # then
    assert split.number in response.text
    assert main_only.number not in response.text
    assert "MAIN, WEST" in response.text


def test_filter_by_stage(order_in_state, staff_client):
    confirmed = order_in_state("confirmed")
    fulfilling = order_in_state("fulfilling")

    html = staff_client("warehouse").get(URL, {"status": "fulfilling"}).text

    assert fulfilling.number in html
    assert confirmed.number not in html


def test_a_bad_filter_value_is_shown_beside_the_field_not_a_500(order_in_state, staff_client):
    order = order_in_state("fulfilling")

    response = staff_client("warehouse").get(URL, {"warehouse": "abc", "status": "x\x00"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert order.number in response.text


def test_htmx_filter_returns_the_list_only(order_in_state, staff_client):
    order_in_state("fulfilling")

    response = staff_client("warehouse").get(
        URL, {"status": "fulfilling"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="worklist"
    )

    assert response.text.lstrip().startswith('<section id="worklist"')
    assert "<html" not in response.text


def test_start_fulfillment_from_the_list(order_in_state, staff_client):
    # given
    order = order_in_state("confirmed")
    client = staff_client("warehouse")

    # when
    response = client.post(f"/dashboard/orders/{order.number}/start-fulfillment/", follow=True)

    # then
    assert Order.objects.get(pk=order.pk).status == "fulfilling"
    assert f"Fulfillment of {order.number} started" in response.text


def test_start_fulfillment_twice_says_why_not(order_in_state, staff_client, order_snapshot):
    order = order_in_state("fulfilling")
    before = order_snapshot(order)

    response = staff_client("warehouse").post(f"/dashboard/orders/{order.number}/start-fulfillment/", follow=True)

    assert "Cannot start fulfillment" in response.text
    assert order_snapshot(order) == before
