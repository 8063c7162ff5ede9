"""Customer-facing pages: the order-tracking portal."""

from django.shortcuts import render

from orders.exceptions import OrderNotFound
from orders.links import tracking_number_from_token
from orders.selectors import order_get_for_customer


def portal_order(request, token: str):
    """The order page a signed link from an email opens."""
    number = tracking_number_from_token(token)
    order = None
    if number is not None:
        try:
            order = order_get_for_customer(number=number)
        except OrderNotFound:
            order = None
    if order is None:
        return render(request, "portal/link_invalid.html", status=404)
    return render(request, "portal/order.html", {"order": order})
