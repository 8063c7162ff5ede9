"""An order number drawn twice (32^8 numbers, drawn at random) is never stored twice: a number the catalog read finds
taken is drawn again before anything is written, and an order that took the number after that read (a placement a
moment earlier) makes the storefront's placement run again under a new number. Either way the order is stored once,
with its lines, addresses and payment, and its stock ledger names the number it has."""

import pytest
from django.db import connection

from inventory.models import StockMovement
from orders.models import Address, Order, OrderLine
from orders.services import catalog, placement
from payments.models import Payment
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _draws(monkeypatch, *numbers):
    draws = iter(numbers)
    monkeypatch.setattr(placement, "order_number_new", lambda: next(draws))


def _stored_once(number: str, *, quantity: int) -> Order:
    stored = Order.objects.get(number=number)
    assert list(OrderLine.objects.filter(order=stored).values_list("sku", "quantity")) == [("MUG-1", quantity)]
    assert Payment.objects.filter(order=stored).count() == 1
    assert Address.objects.filter(pk=stored.shipping_address_id).exists()
    assert set(StockMovement.objects.filter(kind="reserve").values_list("reference", flat=True)) >= {number}
    return stored


def test_a_number_already_taken_is_drawn_again(mug, monkeypatch):
    # given an order numbered AAAA2222, and a draw that gives that number first
    first = OrderFactory(lines=[("MUG-1", 1)])
    Order.objects.filter(pk=first.pk).update(number="AAAA2222")
    _draws(monkeypatch, "AAAA2222", "BBBB3333")

    # when another order is placed
    order = OrderFactory(lines=[("MUG-1", 2)])

    # then it has the second number, and its rows are there once, pointing at it
    assert order.number == "BBBB3333"
    _stored_once("BBBB3333", quantity=2)
    assert Order.objects.count() == 2 and OrderLine.objects.count() == 2 and Payment.objects.count() == 2
    connection.check_constraints()  # the foreign keys, checked at commit, hold


@pytest.mark.django_db(transaction=True)
def test_a_number_taken_after_the_read_places_the_order_again(mug, api, order_body, monkeypatch):
    # given an order numbered AAAA2222, and a catalog read that does not see it (as if it was placed a moment after
    # the read, by another request)
    first = OrderFactory(lines=[("MUG-1", 1)])
    Order.objects.filter(pk=first.pk).update(number="AAAA2222")
    _draws(monkeypatch, "AAAA2222", "CCCC4444", "DDDD5555")  # the replay draws one before it finds the answer
    read = catalog.catalog_read

    def read_missing_the_clash(**kwargs):
        errors, products, method, tax_rate, carried = read(**kwargs)
        if "number_taken" in carried:
            carried["number_taken"] = False
        return errors, products, method, tax_rate, carried

    monkeypatch.setattr(placement, "catalog_read", read_missing_the_clash)

    # when a storefront places an order
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="clash-1")

    # then it is placed, once, under a new number, and the first order is as it was
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "CCCC4444"
    assert response["Location"] == "/api/v1/orders/CCCC4444/"
    _stored_once("CCCC4444", quantity=2)
    assert Order.objects.count() == 2 and Order.objects.get(pk=first.pk).number == "AAAA2222"
    replay = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="clash-1")
    assert replay.json()["number"] == "CCCC4444" and replay["Idempotent-Replayed"] == "true"
