"""Reads for taking an order on the dashboard: the basket priced live, shipping quotes, the customer's credit.

These are previews for the person on the phone. ``order_place`` prices the order again from the catalog and
is the only authority; nothing here is stored.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from inventory.models import Product
from inventory.selectors import product_list_with_stock
from oms.models import IdempotencyRecord
from oms.money import ZERO, quantize
from orders.models import Customer, Order, TaxRate
from shipping.models import ShippingMethod
from shipping.services import shipping_quote


@dataclass
class BasketRow:
    sku: str
    quantity_text: str  # what was typed, shown back as it was
    quantity: int | None  # None when it is not a whole number
    product: Product | None = None
    line_total: Decimal = ZERO
    errors: list[str] = field(default_factory=list)

    @property
    def short(self) -> bool:
        """More ordered than available now: the order would go on hold (out of stock)."""
        return bool(self.product and self.quantity and self.quantity > self.product.available)


@dataclass
class Quote:
    method: ShippingMethod
    price: Decimal


@dataclass
class Basket:
    rows: list[BasketRow]
    subtotal: Decimal
    weight_kg: Decimal
    quotes: list[Quote]
    shipping: Decimal | None  # for the chosen method
    tax_rate: Decimal
    tax: Decimal
    total: Decimal

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def tax_percent(self) -> Decimal:
        return (self.tax_rate * 100).normalize()


def shipping_method_list() -> list[ShippingMethod]:
    return list(ShippingMethod.objects.filter(is_active=True).order_by("priority", "code"))


def basket_for_entry(
    *, lines: list[tuple[str, str]], shipping_method: str = "", country: str = "", methods: list | None = None
) -> Basket:
    """Price ``lines`` ((sku, quantity as typed) pairs) with live stock, quote every shipping method for the
    basket's weight, and estimate tax for the destination ``country``."""
    products = product_list_with_stock(skus=[sku for sku, _ in lines])
    rows: list[BasketRow] = []
    subtotal, weight = ZERO, Decimal("0")
    for sku, text in lines:
        try:
            quantity = int(str(text).strip())
        except ValueError:
            quantity = None
        row = BasketRow(sku=sku, quantity_text=str(text), quantity=quantity, product=products.get(sku))
        if row.product is not None and quantity is not None and quantity > 0:
            row.line_total = quantize(row.product.price * quantity)
            subtotal += row.line_total
            weight += row.product.weight_kg * quantity
        rows.append(row)
    methods = shipping_method_list() if methods is None else methods
    quotes = [Quote(m, shipping_quote(method=m, weight_kg=weight).price) for m in methods]
    chosen = next((q.price for q in quotes if q.method.code == shipping_method), None)
    tax_rate = ZERO
    if len(country) == 2:
        tax_rate = TaxRate.objects.filter(country=country.upper()).values_list("rate", flat=True).first() or ZERO
    shipping = chosen or ZERO
    tax = quantize((subtotal + shipping) * tax_rate) if rows else ZERO
    return Basket(
        rows=rows,
        subtotal=subtotal,
        weight_kg=weight,
        quotes=quotes,
        # Nothing to ship yet: no shipping price either, so the summary does not show 4.95 above a 0.00 total.
        shipping=chosen if rows else None,
        tax_rate=tax_rate,
        tax=tax,
        total=subtotal + shipping + tax if rows else ZERO,
    )


def customer_with_email(*, email: str) -> Customer | None:
    """The customer who has this email, in any letter case (the unique index on LOWER(email) serves it)."""
    return Customer.objects.with_email(email).first()


def placed_order_number(*, owner: str, key: str) -> str | None:
    """The order number a finished placement recorded for this form token, if it has finished."""
    body = (
        IdempotencyRecord.objects.filter(owner=owner, key=key, response_status__isnull=False)
        .values_list("response_body", flat=True)
        .first()
    )
    return body.get("number") if isinstance(body, dict) else None


def order_for_entry_message(*, number: str) -> Order:
    """The order as it stands now, for the message after placing it (status, hold reason, payment)."""
    return Order.objects.only("number", "status", "hold_reason", "hold_note", "payment_status", "payment_method").get(
        number=number
    )
