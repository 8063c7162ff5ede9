"""The desk's pages write money one way: "2,293.97 USD", never "2293.97000000000 USD" or "USD 17.35"."""

from decimal import Decimal

from django.db.models import F

from orders.models import Order


def set_total(order, total: Decimal) -> None:
    """Raise the order's subtotal so that its total (which must add up) becomes ``total``."""
    delta = total - order.total
    Order.objects.filter(pk=order.pk).update(subtotal=F("subtotal") + delta, total=F("total") + delta)


def test_order_list_and_order_page_show_amounts_with_separators_and_the_currency_after(order_in_state, desk):
    # given
    order = order_in_state("confirmed")
    set_total(order, Decimal("12293.97"))

    # when
    listed = desk.get("/dashboard/orders/").text
    page = desk.get(f"/dashboard/orders/{order.number}/").text

    # then
    assert f"12,293.97 {order.currency}" in listed
    assert f"12,293.97 {order.currency}" in page
    assert "12293.97" not in listed + page


def test_home_revenue_has_two_decimals_and_separators(order_in_state, desk):
    order = order_in_state("confirmed")
    set_total(order, Decimal("25000"))

    text = desk.get("/dashboard/").text

    assert "25,000.00" in text and "25000.00" not in text
