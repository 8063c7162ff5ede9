"""Short stock in the demo: orders that ship in parts with units backordered, and a product on preorder.

Made through ``order_place`` like every demo order (a few of ``--orders``), once the others exist: customers order a
product no warehouse has (shipping in parts, so the rest of each order is reserved and the missing units wait),
and a few preorder headphones released in three weeks. A goods receipt (``POST /api/v1/inventory/receipts/``)
of either product hands the units to these orders automatically.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dashboard.management.demo.setup import Demo
from inventory.models import Product, StockItem, Warehouse
from orders.models import Channel, Order, OrderEvent
from orders.services import AddressInput, PlacementInput, order_place
from payments.models import GatewayTransaction, Payment
from shipping.services import delivery_dates

PREORDER_SKU = "ELE-HPH-NC2"


def backorders_share(order_count: int) -> int:
    """How many of the demo's orders are these short-stock ones: a tenth, at most six."""
    return min(6, order_count // 10)


def backorders_seed(demo: Demo, *, count: int) -> None:
    """``count`` orders: the first half with backordered units of an out-of-stock product, the rest preorders
    (none if the demo has no customers or no out-of-stock product to order)."""
    if not demo.out_of_stock or not demo.people or count <= 0:
        return
    preorder = _preorder_product()
    in_stock = [p for p in demo.products if p.price < 100]
    backordered = (count + 1) // 2
    for index in range(count):
        if index < backordered:
            extra = [(demo.rng.choice(in_stock).sku, 1)] if in_stock else []
            _place(demo, index, [*extra, (demo.out_of_stock[index % len(demo.out_of_stock)].sku, 2)])
        else:
            _place(demo, index, [(preorder.sku, 1 + index % 2)])


def _preorder_product() -> Product:
    """Noise-cancelling headphones, released in three weeks: none in stock yet, 25 may be preordered."""
    product, _ = Product.objects.update_or_create(
        sku=PREORDER_SKU,
        defaults={
            "name": "Noise-cancelling headphones, 2nd generation",
            "price": Decimal("189.00"),
            "weight_kg": Decimal("0.450"),
            "available_from": timezone.localdate() + timedelta(days=21),
            "preorder_limit": 25,
        },
    )
    warehouse = Warehouse.objects.filter(is_active=True).order_by("priority", "code").first()
    if warehouse is not None:
        StockItem.objects.get_or_create(product=product, warehouse=warehouse)
    return product


def _place(demo: Demo, index: int, lines: list[tuple[str, int]]) -> None:
    customer = demo.people[index % len(demo.people)]
    order = order_place(
        data=PlacementInput(
            customer_email=customer.email,
            customer_name=customer.name,
            customer_phone=customer.phone,
            customer_id=customer.pk,
            lines=lines,
            shipping_address=AddressInput.of(demo.addresses[customer.pk]),
            shipping_method="express" if index % 3 == 0 else "standard",
            payment_method="card",
            payment_token="tok_ok",
            channel=Channel.WEB,
            storefront_id=demo.storefront.pk,
            ship_partial=True,
        ),
        actor=f"storefront:{demo.storefront.name}",
    )
    # Waiting a week or two already; and not the newest confirmed order, which the README's examples use.
    placed = demo.now - timedelta(days=8 + index, hours=demo.rng.randint(0, 12))
    ship_by, delivery = delivery_dates(placed_at=placed, transit_days=demo.transit_days[order.shipping_method])
    Order.objects.filter(pk=order.pk).update(
        placed_at=placed, promised_ship_date=ship_by, estimated_delivery_date=delivery, updated_at=placed
    )
    OrderEvent.objects.filter(order=order).update(at=placed)
    Payment.objects.filter(order=order).update(created_at=placed, updated_at=placed)
    GatewayTransaction.objects.filter(payment__order=order).update(created_at=placed)
