"""Reads for taking an order on the dashboard: the basket priced live, shipping quotes, the customer's credit.

These are previews for the person on the phone, priced by the same ``orders.pricing.order_price`` that
``order_place`` charges by, so the preview and the order agree; nothing here is stored.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from inventory.models import Product
from inventory.selectors import product_list_with_stock
from oms.models import IdempotencyRecord
from oms.money import ZERO
from orders.models import Customer, Order
from orders.pricing import order_price
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
    def priced(self) -> bool:
        """A product and a positive whole quantity: the row counts in the sums."""
        return self.product is not None and self.quantity is not None and self.quantity > 0

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
    basket's weight, and estimate tax for the destination ``country``.

    The sums are ``order_price``'s, the function placement charges by; rows with an unknown SKU or a quantity
    that is not a positive whole number are shown but not priced.
    """
    products = product_list_with_stock(skus=[sku for sku, _ in lines])
    rows = [_row(sku, text, products.get(sku)) for sku, text in lines]
    methods = shipping_method_list() if methods is None else methods
    chosen = next((m for m in methods if m.code == shipping_method), None)
    priced = [row for row in rows if row.priced]
    price = order_price(lines=[(row.product, row.quantity) for row in priced], method=chosen, country=country)
    for row, line in zip(priced, price.lines, strict=True):
        row.line_total = line.line_total
    quotes = [Quote(m, shipping_quote(method=m, weight_kg=price.weight_kg).price) for m in methods]
    return Basket(
        rows=rows,
        subtotal=price.subtotal,
        weight_kg=price.weight_kg,
        quotes=quotes,
        # Nothing to ship yet: no shipping price either, so the summary does not show 4.95 above a 0.00 total.
        shipping=price.shipping if rows and chosen is not None else None,
        tax_rate=price.tax_rate,
        tax=price.tax if rows else ZERO,
        total=price.total if rows else ZERO,
    )


def _row(sku: str, text: str, product: Product | None) -> BasketRow:
    try:
        quantity = int(str(text).strip())
    except ValueError:
        quantity = None
    return BasketRow(sku=sku, quantity_text=str(text), quantity=quantity, product=product)


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
