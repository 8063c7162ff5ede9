"""The portal's lines table heads its amount column "Total": it holds line totals, not unit prices."""

from decimal import Decimal

from django.db.models import F

from orders.models import Order


def test_the_line_amount_column_is_headed_total_and_amounts_are_written_one_way(client, order_in_state, link):
    # given an order of two mugs whose total runs into thousands
    order = order_in_state("confirmed")
    delta = Decimal("1200.00")
    order.lines.update(quantity=2, line_total=F("line_total") + delta)
    Order.objects.filter(pk=order.pk).update(subtotal=F("subtotal") + delta, total=F("total") + delta)
    order.refresh_from_db()
    line = order.lines.get()

    # when
    page = client.get(link(order)).content.decode()

    # then
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert ">Total</th>" in head and "Price" not in head
    assert f"{line.line_total:,.2f}" in page
    assert f"{order.total:,.2f} {order.currency}" in page
