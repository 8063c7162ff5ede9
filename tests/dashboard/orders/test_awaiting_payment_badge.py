"""Staff see an order waiting for its bank transfer as "Awaiting payment", not "Credit approved"."""

import re


def badges(html: str) -> list[str]:
    return re.findall(r'<span class="badge s-[^"]*">([^<]*)</span>', html)


def test_order_list_and_page_show_awaiting_payment_for_a_transfer_not_yet_arrived(desk, order_in_state):
    # given an order paid by bank transfer whose money has not arrived
    order = order_in_state("credit_approved")
    assert order.payment_status == "awaiting_funds"

    # when the clerk opens the order list and the order page
    listed = desk.get("/dashboard/orders/").text
    detail = desk.get(f"/dashboard/orders/{order.number}/").text

    # then both call it "Awaiting payment"
    assert "Awaiting payment" in badges(listed)
    assert "Credit approved" not in badges(listed)
    assert badges(detail)[0] == "Awaiting payment"


def test_other_orders_keep_their_status_badge(desk, order_in_state):
    order = order_in_state("confirmed")

    detail = desk.get(f"/dashboard/orders/{order.number}/").text

    assert badges(detail)[0] == "Confirmed"
