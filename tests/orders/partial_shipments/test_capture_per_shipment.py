"""An order shipped in parts is charged per shipment: the value of what left, the shipping with the first."""

from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from oms.money import quantize
from orders.services import order_capture_payment
from orders.tasks import capture_shipment_payment_task
from payments.models import GatewayTransaction, Payment
from shipping.models import Shipment
from tests.factories import TaxRateFactory
from tests.orders.partial_shipments.conftest import stock_arrives
from tests.payments.conftest import stripe  # noqa: F401  (the fake Stripe fixture)

RATE = Decimal("0.19")


@pytest.fixture(autouse=True)
def german_vat(db):
    """19 % on goods and shipping: the shares round, so the last capture has a remainder to take."""
    return TaxRateFactory(country="DE", rate=RATE)


def with_tax(amount: Decimal) -> Decimal:
    return amount + quantize(amount * RATE)


def captures(order) -> list[Decimal]:
    return list(
        GatewayTransaction.objects.filter(payment__order=order, kind="capture", outcome="succeeded")
        .order_by("pk")
        .values_list("amount", flat=True)
    )


def test_each_shipment_captures_what_left_and_the_captures_add_up_to_the_total(partial_order, ship_available, shelf):
    # given 3 cups (19.99; 2 in stock) and a pot (7.25)
    order = partial_order([("PS-CUP", 3, 2), ("PS-POT", 1, 1)])
    assert order.tax_total > 0

    # when the first shipment leaves
    order = ship_available(order)

    # then its goods with their tax, and the shipping with its tax, are captured; the rest stays authorized
    first = with_tax(Decimal("2") * Decimal("19.99") + Decimal("7.25")) + with_tax(order.shipping_total)
    assert captures(order) == [first]
    assert (order.amount_captured, order.payment_status) == (first, "authorized")
    note = f"Payment captured for parcel {Shipment.objects.get(order=order).tracking_number}: {first} {order.currency}"
    assert order.events.filter(note__startswith=note).exists()

    # when the last cup ships
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)

    # then the last shipment takes the remainder: everything is captured, to the cent
    assert captures(order) == [first, order.total - first]
    assert abs(captures(order)[1] - with_tax(Decimal("19.99"))) <= Decimal("0.02")
    assert (order.amount_captured, order.payment_status) == (order.total, "captured")
    assert order.payments.get().status == Payment.Status.CAPTURED


def test_three_shipments_add_up_to_the_total(partial_order, ship_available, shelf):
    # given
    order = partial_order([("PS-CUP", 1, 1), ("PS-TIN", 3, 0), ("PS-POT", 2, 0)])

    # when it ships in three parts
    order = ship_available(order)
    stock_arrives(order, "PS-TIN", 3)
    order = ship_available(order)
    middle = order.amount_captured
    stock_arrives(order, "PS-POT", 2)
    order = ship_available(order)

    # then
    amounts = captures(order)
    assert len(amounts) == 3
    assert amounts[1] == with_tax(Decimal("3") * Decimal("3.33")), "no shipping charged again"
    assert middle == amounts[0] + amounts[1]
    assert sum(amounts) == order.total == order.amount_captured


def test_a_capture_run_again_captures_nothing_twice(partial_order, ship_available, shelf):
    # given an order shipped in two parts, both captured
    order = partial_order([("PS-CUP", 2, 1)])
    order = ship_available(order)
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)
    before = (captures(order), order.events.count())

    # when every capture runs again, and the reconciler's whole-order capture too
    for shipment_id in Shipment.objects.filter(order=order).values_list("pk", flat=True):
        capture_shipment_payment_task.run(shipment_id=shipment_id)
    order_capture_payment(order_id=order.pk)

    # then nothing more was captured, and the timeline has nothing new
    order.refresh_from_db()
    assert (captures(order), order.events.count()) == before
    assert order.amount_captured == order.total


def test_the_first_capture_run_again_before_the_last_shipment(partial_order, ship_available, shelf):
    # given the first part captured
    order = ship_available(partial_order([("PS-CUP", 2, 1)]))
    captured = order.amount_captured

    # when its task runs again (a redelivery)
    capture_shipment_payment_task.run(shipment_id=Shipment.objects.get(order=order).pk)

    # then
    order.refresh_from_db()
    assert order.amount_captured == captured
    assert len(captures(order)) == 1


def cents(amount: Decimal) -> int:
    return int(amount * 100)


def form(request) -> dict:
    return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}


def test_stripe_captures_each_part_with_multicapture(stripe, partial_order, ship_available, shelf):  # noqa: F811
    # given a Stripe card order shipped in two parts
    order = ship_available(partial_order([("PS-CUP", 2, 1)], payment_token="pm_card_visa"))
    payment = order.payments.get()
    intent = stripe.intents[payment.gateway_reference]

    # then the first part is captured, and the rest kept authorized for the next shipment
    part = stripe.requests[-1]
    assert part.path == f"/v1/payment_intents/{payment.gateway_reference}/capture"
    assert form(part) == {"amount_to_capture": str(cents(order.amount_captured)), "final_capture": "false"}
    assert (intent["status"], intent["amount_received"]) == ("requires_capture", cents(order.amount_captured))

    # when the rest ships
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)

    # then the final capture takes the rest and closes the intent
    assert form(stripe.requests[-1]) == {"amount_to_capture": str(cents(order.total - captures(order)[0]))}
    assert (intent["status"], intent["amount_received"]) == ("succeeded", cents(order.total))
    assert order.amount_captured == order.total


def test_stripe_without_multicapture_captures_everything_with_the_last_shipment(
    stripe,  # noqa: F811
    partial_order,
    ship_available,
    shelf,
):
    # given a card Stripe does not offer multicapture for
    order = ship_available(partial_order([("PS-CUP", 2, 1)], payment_token="pm_card_visa_no_multicapture"))

    # then the part capture is refused: nothing taken, staff told on the timeline
    assert order.amount_captured == 0
    assert order.payment_status == "authorized"
    assert order.events.filter(note__startswith="Capture for parcel", note__contains="refused by the gateway").exists()

    # when the rest ships
    stock_arrives(order, "PS-CUP", 1)
    order = ship_available(order)

    # then the last capture takes the whole amount
    assert order.amount_captured == order.total
    assert stripe.intents[order.payments.get().gateway_reference]["amount_received"] == cents(order.total)
