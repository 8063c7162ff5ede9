"""An exchange places a replacement order through normal placement: stock reserved for it, linked to the
return and the original order; equal value costs nothing, a dearer one charges the difference, a cheaper one
refunds it; the customer hears once when the replacement ships."""

from decimal import Decimal

import pytest

from inventory.models import StockItem
from orders import services
from payments.models import Payment, Refund
from returns.models import ReturnRequest
from returns.services.resolution import return_exchange
from tests.factories import ProductFactory, StaffFactory, StockItemFactory, return_request_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(db):
    return StaffFactory(role="finance", username="fiona")


def _product(sku: str, price: str, warehouse):
    product = ProductFactory(sku=sku, price=Decimal(price))
    StockItemFactory(product=product, warehouse=warehouse, on_hand=10)
    return product


def _exchanged(order, exchange_sku: str, user, commit, quantity: int = 1) -> ReturnRequest:
    """An exchange return of one mug, authorized, received and inspected, then exchanged for ``exchange_sku``."""
    manager = StaffFactory(role="manager")
    with commit():
        created = return_request_open(
            order,
            lines=[("MUG-1", quantity, "no_longer_needed")],
            resolution="exchange",
            exchange_lines=[(exchange_sku, quantity)],
        )
    from returns import services as returns

    for name, params in (
        ("authorize", {}),
        ("receive", {"warehouse": "MAIN"}),
        ("inspect", {"lines": [{"sku": "MUG-1", "quantity": quantity, "condition": "resellable"}]}),
    ):
        with commit():
            returns.return_transition(
                return_request=ReturnRequest.objects.get(pk=created.pk), name=name, user=manager, **params
            )
    with commit():
        return_exchange(return_request=ReturnRequest.objects.get(pk=created.pk), user=user)
    return ReturnRequest.objects.get(pk=created.pk)


def test_the_same_sku_again_costs_nothing_and_reserves_stock(delivered_order, finance, commit, warehouse):
    # given a delivered order of mugs
    order = delivered_order(quantity=2)
    reserved = StockItem.objects.get(product__sku="MUG-1", warehouse=warehouse).reserved

    # when one mug is exchanged for another mug
    return_request = _exchanged(order, "MUG-1", finance, commit)

    # then a replacement order was placed, linked, its stock reserved and nothing charged or refunded
    replacement = return_request.replacement_order
    assert return_request.status == "exchanged" and return_request.refund_total == 0
    assert replacement.customer_id == order.customer_id and replacement.status == "confirmed"
    assert list(replacement.lines.values_list("sku", "quantity")) == [("MUG-1", 1)]
    assert StockItem.objects.get(product__sku="MUG-1", warehouse=warehouse).reserved == reserved + 1
    payment = Payment.objects.get(order=replacement)
    assert (payment.method, payment.amount) == ("exchange", 0)
    assert not Refund.objects.exists()
    assert replacement.events.filter(note__contains=f"original order {order.number}").exists()
    assert order.events.filter(note__icontains=f"replacement order {replacement.number}").exists()


def test_a_dearer_replacement_charges_the_difference(delivered_order, finance, commit, warehouse):
    _product("JUG-1", "20.00", warehouse)
    order = delivered_order(quantity=1)

    replacement = _exchanged(order, "JUG-1", finance, commit).replacement_order

    payment = Payment.objects.get(order=replacement)
    assert (payment.method, payment.amount, payment.status) == ("card", Decimal("7.50"), "authorized")
    assert replacement.status == "confirmed"


def test_a_cheaper_replacement_refunds_the_difference(delivered_order, finance, commit, warehouse):
    _product("CUP-1", "5.00", warehouse)
    order = delivered_order(quantity=1)

    return_request = _exchanged(order, "CUP-1", finance, commit)

    assert return_request.refund_total == Decimal("7.50")
    assert Payment.objects.get(order=order).refunded_amount == Decimal("7.50")
    assert Payment.objects.get(order=return_request.replacement_order).amount == 0


def test_the_customer_hears_once_when_the_replacement_ships(delivered_order, finance, commit, mailoutbox):
    # given an exchange whose replacement is placed
    return_request = _exchanged(delivered_order(quantity=2), "MUG-1", finance, commit)
    replacement = return_request.replacement_order
    manager = StaffFactory(role="manager")

    # when the replacement ships
    for step in ("start_fulfillment", "ship"):
        with commit():
            services.order_transition(order_id=replacement.pk, name=step, user=manager)

    # then one "replacement on its way" email, naming the replacement order
    sent = [m for m in mailoutbox if "replacement is on its way" in m.subject]
    assert len(sent) == 1 and replacement.number in sent[0].body
    with commit():
        services.order_shipment_label(shipment_id=replacement.shipments.get().pk)
    assert len([m for m in mailoutbox if "replacement is on its way" in m.subject]) == 1
