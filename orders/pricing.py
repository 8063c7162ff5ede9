"""Pricing an order from the catalog: the one place that adds up lines, weight, shipping and tax.

``order_place`` stores what this computes, and order entry's basket preview shows it, so what the person on
the phone reads out is what the customer is charged. Prices come from the products handed in (the catalog),
never from the caller.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from inventory.models import Product
from oms.money import ZERO, quantize
from orders.models import TaxRate
from shipping.models import ShippingMethod
from shipping.services import shipping_quote

# The largest amount the money columns hold (12 digits, 2 of them cents).
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class PricedLine:
    product: Product
    quantity: int
    line_total: Decimal


@dataclass(frozen=True)
class Price:
    """An order's money: ``total`` = ``subtotal`` + ``shipping`` + ``tax``."""

    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    weight_kg: Decimal
    shipping: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal


def tax_rate_for(*, country: str) -> Decimal:
    """Sales tax / VAT for a destination (ISO code, any case); 0 where no rate is set or it is no country code."""
    if len(country) != 2:
        return Decimal("0")
    return TaxRate.objects.filter(country=country.upper()).values_list("rate", flat=True).first() or Decimal("0")


def order_price(
    *,
    lines: Sequence[tuple[Product, int]],
    method: ShippingMethod | None,
    country: str,
    tax_rate: Decimal | None = None,
) -> Price:
    """Price ``lines`` ((product, quantity) pairs) shipped by ``method`` to ``country``.

    Line totals are rounded to cents, shipping is quoted by the basket's weight (nothing without a method) and
    tax applies to goods and shipping at the destination's rate. At most one query: the tax rate, unless the
    caller read it already (``tax_rate``, as ``tax_rate_for`` gives it).
    """
    priced = tuple(PricedLine(product, quantity, quantize(product.price * quantity)) for product, quantity in lines)
    subtotal = sum((line.line_total for line in priced), ZERO)
    weight = sum((line.product.weight_kg * line.quantity for line in priced), Decimal("0"))
    shipping = shipping_quote(method=method, weight_kg=weight).price if method is not None else ZERO
    tax_rate = tax_rate_for(country=country) if tax_rate is None else tax_rate
    tax = quantize((subtotal + shipping) * tax_rate)
    return Price(
        lines=priced,
        subtotal=subtotal,
        weight_kg=weight,
        shipping=shipping,
        tax_rate=tax_rate,
        tax=tax,
        total=subtotal + shipping + tax,
    )


def price_errors(price: Price) -> dict:
    """Field errors for an order whose money cannot be stored (a line or the total over ``MAX_AMOUNT``)."""
    line_errors = {
        str(index): {
            "quantity": [f"This line comes to {line.line_total}, more than one order can hold ({MAX_AMOUNT})."]
        }
        for index, line in enumerate(price.lines)
        if line.line_total > MAX_AMOUNT
    }
    if line_errors:
        return {"lines": line_errors}
    if price.total > MAX_AMOUNT:
        return {"lines": [f"The order comes to {price.total}, more than one order can hold ({MAX_AMOUNT}); split it."]}
    return {}
