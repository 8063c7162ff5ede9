"""Return or exchange items from the portal: a delivered order within the window, under its signed link."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, OrderLine
from returns.models import ReturnRequest


def form(line, *, quantity="1", reason="no_longer_needed", **extra) -> dict:
    return {f"quantity-{line.pk}": quantity, f"reason-{line.pk}": reason, "resolution": "refund", **extra}


def test_a_customer_requests_a_return(delivered_order, client, link):
    # given
    order = delivered_order(quantity=3)
    line = OrderLine.objects.get(order=order)
    assert "Return or exchange items" in client.get(link(order)).text
    assert "Quantity of MUG-1 to return" in client.get(link(order, "return")).text

    # when
    response = client.post(link(order, "return"), form(line, quantity="2", **{f"comment-{line.pk}": "Too many"}))

    # then
    r = ReturnRequest.objects.get(order=order)
    assert response.status_code == 302 and response.url.endswith("#returns")
    assert (r.opened_by, r.status, r.lines.get().quantity, r.lines.get().comment) == (
        "customer",
        "requested",
        2,
        "Too many",
    )
    page = client.get(link(order)).text
    assert f"Return {r.number}: Requested" in page


def test_an_exchange_names_what_instead(delivered_order, client, link):
    # given
    order = delivered_order()
    line = OrderLine.objects.get(order=order)

    # when
    missing = client.post(link(order, "return"), form(line, resolution="exchange"))
    done = client.post(
        link(order, "return"), form(line, resolution="exchange", exchange_sku="MUG-1", exchange_quantity="1")
    )

    # then
    assert missing.status_code == 400 and "Name the SKU you want instead." in missing.text
    assert done.status_code == 302
    assert ReturnRequest.objects.get(order=order).exchange_lines.get().sku == "MUG-1"


@pytest.mark.parametrize("problem", ["window", "not_delivered"])
def test_refused_returns_are_explained(problem, delivered_order, order_in_state, mug, client, link):
    # given
    if problem == "window":
        order = delivered_order()
        Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=31))
        why = "The return window of order"
    else:
        order = order_in_state("shipped", lines=[("MUG-1", 1)])
        why = "only delivered orders take returns"
    line = OrderLine.objects.get(order=order)

    # when
    response = client.post(link(order, "return"), form(line), follow=True)

    # then
    assert why in response.text
    assert not ReturnRequest.objects.exists()


def test_more_than_was_delivered_is_refused(delivered_order, client, link):
    # given
    order = delivered_order(quantity=1)
    line = OrderLine.objects.get(order=order)

    # when
    response = client.post(link(order, "return"), form(line, quantity="2"))

    # then
    assert response.status_code == 400
    assert not ReturnRequest.objects.exists()


def test_the_label_is_downloaded_from_the_order_page(return_in_state, client, link):
    # given an authorized return whose label was bought
    r = return_in_state("authorized")

    # when
    page = client.get(link(r.order)).text
    start = page.index("Download the return label")
    href = page[page.rindex('href="', 0, start) + 6 : page.index('"', page.rindex('href="', 0, start) + 6)]
    label = client.get(href)

    # then
    assert label.status_code == 200 and label.content.startswith(b"%PDF")


def test_a_forged_link_reaches_no_return(delivered_order, client, link):
    # given
    order = delivered_order()
    line = OrderLine.objects.get(order=order)

    # when
    response = client.post(link(order, "return").replace("/o/", "/o/x"), form(line))

    # then
    assert response.status_code == 404
    assert not ReturnRequest.objects.exists()
