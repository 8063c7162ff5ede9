"""The "priority" sort (express first, then ship-by date, then age; methods no shipping method names last)
pages across the shipping methods as one list: each order once, in order, whichever page it falls on."""

from orders.models import Order


def test_priority_pages_run_from_express_through_standard_to_unknown_methods(desk, order_in_state, monkeypatch):
    # given: three express, two standard, one with a method no longer offered
    monkeypatch.setattr("dashboard.orders.selectors.order_list.PER_PAGE", 2)
    express = [order_in_state("confirmed", shipping_method="express").number for _ in range(3)]
    standard = [order_in_state("confirmed").number for _ in range(2)]
    freight = order_in_state("confirmed")
    Order.objects.filter(pk=freight.pk).update(shipping_method="freight")

    # when
    pages = [
        [o.number for o in desk.get(f"/dashboard/orders/?queue=ready&sort=priority&page={n}").context["orders"]]
        for n in (1, 2, 3)
    ]

    # then
    assert pages == [express[:2], [express[2], standard[0]], [standard[1], freight.number]]
