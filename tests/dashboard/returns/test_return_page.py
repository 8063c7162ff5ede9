"""The return page and staff opening a return for a customer from the order page."""

from decimal import Decimal

from orders.models import OrderLine
from returns.models import ReturnRequest


def test_the_refund_preview_comes_before_the_refund(return_in_state, staff_client):
    # given
    r = return_in_state("inspected")

    # when
    page = staff_client("finance").get(f"/dashboard/returns/{r.number}/")

    # then the amount is shown; nothing is refunded yet
    preview = page.context["preview"]
    assert preview.total > Decimal("0")
    assert "Refund preview" in page.text
    assert ReturnRequest.objects.get(pk=r.pk).refund_total == 0


def test_staff_open_a_return_from_the_order_page(delivered_order, staff_client):
    # given
    order = delivered_order(quantity=3)
    line = OrderLine.objects.get(order=order)
    client = staff_client("support")
    assert "Open a return" in client.get(f"/dashboard/orders/{order.number}/").text

    # when
    response = client.post(
        f"/dashboard/orders/{order.number}/returns/new/",
        {
            f"quantity-{line.pk}": "2",
            f"reason-{line.pk}": "damaged",
            f"comment-{line.pk}": "cracked",
            "resolution": "refund",
        },
    )

    # then
    r = ReturnRequest.objects.get(order=order)
    assert response.status_code == 302 and response.url == f"/dashboard/returns/{r.number}/"
    assert (r.opened_by, r.lines.get().quantity, r.lines.get().comment) == ("staff", 2, "cracked")
    assert r.number in client.get(f"/dashboard/orders/{order.number}/").text


def test_more_than_may_be_returned_is_refused_beside_the_field(delivered_order, staff_client):
    # given
    order = delivered_order(quantity=1)
    line = OrderLine.objects.get(order=order)

    # when
    response = staff_client("support").post(
        f"/dashboard/orders/{order.number}/returns/new/",
        {f"quantity-{line.pk}": "2", f"reason-{line.pk}": "damaged", "resolution": "refund"},
    )

    # then
    assert response.status_code == 400
    assert "less than or equal to 1" in response.text
    assert not ReturnRequest.objects.exists()


def test_an_order_not_delivered_says_why(order_in_state, mug, staff_client):
    # given
    order = order_in_state("shipped", lines=[("MUG-1", 1)])

    # when
    page = staff_client("support").get(f"/dashboard/orders/{order.number}/returns/new/")

    # then
    assert "only delivered orders take returns" in page.text
