"""An order number drawn twice (32^8 numbers, drawn at random) is drawn again: the new order is stored once,
under the new number, with its lines, addresses and payment, which go in the same statement as its first try."""

import pytest
from django.db import connection

from orders.models import Address, Order, OrderLine
from orders.services import placement
from payments.models import Payment
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_a_number_already_taken_is_drawn_again(mug, monkeypatch):
    # given an order numbered AAAA2222, and a draw that gives that number first
    first = OrderFactory(lines=[("MUG-1", 1)])
    Order.objects.filter(pk=first.pk).update(number="AAAA2222")
    draws = iter(["AAAA2222", "BBBB3333"])
    monkeypatch.setattr(placement, "order_number_new", lambda: next(draws))

    # when another order is placed
    order = OrderFactory(lines=[("MUG-1", 2)])

    # then it has the second number, and its rows are there once, pointing at it
    assert order.number == "BBBB3333"
    stored = Order.objects.get(number="BBBB3333")
    assert list(OrderLine.objects.filter(order=stored).values_list("sku", "quantity")) == [("MUG-1", 2)]
    assert Payment.objects.filter(order=stored).count() == 1
    assert Address.objects.filter(pk=stored.shipping_address_id).exists()
    assert Order.objects.count() == 2 and OrderLine.objects.count() == 2 and Payment.objects.count() == 2
    connection.check_constraints()  # the foreign keys, checked at commit, hold
