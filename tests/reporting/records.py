"""Small fixed report data written straight to the tables (no services), so every timestamp is the test's.

``placed(day, hour)`` etc. take shop-time days; the tests' shop time zone is the settings' ``TIME_ZONE``.
"""

from datetime import date, datetime, time
from decimal import Decimal

from orders.event_hooks import order_event_hooks_run
from orders.models import Address, Customer, Order, OrderEvent, OrderLine
from reporting.filters import ReportFilter, day_start


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=day_start(day).tzinfo)


def window(first: date, last: date, **scope) -> ReportFilter:
    return ReportFilter(date_from=first, date_to=last, **scope)


_numbers = iter(range(1, 10_000))


def customer_row(email: str = "") -> Customer:
    number = next(_numbers)
    return Customer.objects.create(email=email or f"r{number}@example.com", name=f"Customer {number}")


def order_row(
    placed_at: datetime,
    *,
    customer: Customer | None = None,
    status: str = "confirmed",
    lines: list[tuple] = (),
    total: str = "10.00",
    **fields,
) -> Order:
    """An order with ``lines`` as (product, quantity) at the product's price; totals are ``total``."""
    customer = customer or customer_row()
    address = Address.objects.create(name="A", line1="1 Road", city="Berlin", postal_code="10115", country="DE")
    order = Order.objects.create(
        number=f"R{next(_numbers):05d}",
        customer=customer,
        shipping_address=address,
        billing_address=address,
        shipping_method="standard",
        currency="EUR",
        subtotal=Decimal(total),
        shipping_total=0,
        tax_total=0,
        total=Decimal(total),
        payment_method="card",
        status=status,
        placed_at=placed_at,
        **fields,
    )
    for product, quantity in lines:
        OrderLine.objects.create(
            order=order,
            product=product,
            sku=product.sku,
            name=product.name,
            quantity=quantity,
            unit_price=product.price,
            line_total=product.price * quantity,
        )
    return order


def event(order: Order, moment: datetime, to_status: str, *, from_status: str = "", actor: str = "system", note=""):
    made = OrderEvent.objects.create(
        order=order, at=moment, actor=actor, from_status=from_status, to_status=to_status, note=note
    )
    order_event_hooks_run(made)  # as orders.services.common.event_record does
    return made
