"""Arriving stock goes to waiting orders in priority order: express first, then the earliest promised ship
date, then the oldest order."""

from datetime import timedelta

from django.utils import timezone

from inventory.services import stock_receipt_book
from orders.models import Order
from tests.orders.backorders.conftest import waiting


def test_express_then_ship_date_then_age(place, lamp, commit):
    # given all 5 lamps are taken, and four orders wait for 2 each
    place([("LAMP-1", 5)], ship_partial=True)
    oldest = place([("LAMP-1", 2)], ship_partial=True).order
    younger = place([("LAMP-1", 2)], ship_partial=True).order
    urgent = place([("LAMP-1", 2)], ship_partial=True).order
    express = place([("LAMP-1", 2)], ship_partial=True, shipping_method="express").order
    later = timezone.localdate() + timedelta(days=30)
    Order.objects.filter(pk__in=[oldest.pk, younger.pk]).update(promised_ship_date=later)
    Order.objects.filter(pk=urgent.pk).update(promised_ship_date=later - timedelta(days=20))

    # when 5 lamps arrive
    with commit():
        stock_receipt_book(warehouse_code="MAIN", reference="PO-9", lines=[("LAMP-1", 5)], actor="clerk")

    # then express gets its 2, then the earliest ship date, then the oldest gets the last one
    assert waiting(express) == [("LAMP-1", 2, 2, 0)]
    assert waiting(urgent) == [("LAMP-1", 2, 2, 0)]
    assert waiting(oldest) == [("LAMP-1", 2, 1, 1)]
    assert waiting(younger) == [("LAMP-1", 2, 0, 2)]


def test_an_order_waiting_whole_keeps_its_place_without_blocking_the_others(place, lamp, commit):
    # given all lamps are taken; an older order waits whole for 4, a younger one ships in parts and wants 2
    place([("LAMP-1", 5)], ship_partial=True)
    whole = place([("LAMP-1", 4)], ship_partial=False).order
    partial = place([("LAMP-1", 2)], ship_partial=True).order

    # when 3 arrive: too few for the whole order
    with commit():
        stock_receipt_book(warehouse_code="MAIN", reference="PO-10", lines=[("LAMP-1", 3)])

    # then the whole order still waits and the younger one is served
    assert Order.objects.get(pk=whole.pk).status == "on_hold"
    assert waiting(partial) == [("LAMP-1", 2, 2, 0)]

    # when 4 more arrive, the whole order has its turn
    with commit():
        stock_receipt_book(warehouse_code="MAIN", reference="PO-11", lines=[("LAMP-1", 4)])
    assert Order.objects.get(pk=whole.pk).status == "confirmed"
    assert waiting(whole) == [("LAMP-1", 4, 4, 0)]
