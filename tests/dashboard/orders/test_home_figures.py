"""Home's four figures: revenue counts only orders paid or payable, and each figure opens the orders behind it."""

import re
from html import unescape

from orders.models import HoldReason, Order


def figure_links(text: str) -> dict[str, str]:
    """{label: href} of the figures at the top of home."""
    found = re.findall(r'<a class="stat" href="([^"]+)"[^>]*><div class="label">([^<]+)</div>', text)
    return {label: unescape(href) for href, label in found}


def test_revenue_leaves_out_declined_credit_refused_and_cancelled_orders(order_in_state, staff_client):
    # given
    paid = order_in_state("confirmed")
    awaiting_transfer = order_in_state("credit_approved")
    declined, refused = order_in_state("on_hold"), order_in_state("on_hold")
    Order.objects.filter(pk=declined.pk).update(hold_reason=HoldReason.PAYMENT_FAILED)
    Order.objects.filter(pk=refused.pk).update(hold_reason=HoldReason.CREDIT)
    order_in_state("cancelled")

    # when
    response = staff_client("manager").get("/dashboard/")

    # then
    figures = response.context["figures"]
    assert figures["placed"] == 5
    assert figures["revenue"] == paid.total + awaiting_transfer.total
    assert "cancelled orders and orders held for a declined card or refused credit are not counted" in response.text


def test_each_figure_links_to_the_orders_it_counts(order_in_state, staff_client):
    # given
    order_in_state("confirmed")
    order_in_state("shipped")
    declined = order_in_state("on_hold")
    Order.objects.filter(pk=declined.pk).update(hold_reason=HoldReason.PAYMENT_FAILED)
    manager = staff_client("manager")
    home = manager.get("/dashboard/")
    figures = home.context["figures"]

    # when
    links = figure_links(home.text)
    counted = {label: len(manager.get(href).context["orders"]) for label, href in links.items()}
    revenue_orders = manager.get(links["Revenue (placed today)"]).context["orders"]

    # then
    assert counted == {
        "Orders placed": figures["placed"],
        "Orders shipped": figures["shipped"],
        "On hold now": figures["on_hold"],
        "Revenue (placed today)": 2,
    }
    assert sum(o.total for o in revenue_orders) == figures["revenue"]
