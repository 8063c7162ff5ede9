"""The demo's shop: shipping methods, warehouses, products, opening stock and tax rates."""

import random
from collections import Counter
from datetime import datetime
from decimal import Decimal

from dashboard.management.demo.data import CATALOG, DISCONTINUED, LOW_STOCK, OUT_OF_STOCK, TAX_RATES, WAREHOUSES
from inventory.models import Product, StockItem, StockMovement, Warehouse
from inventory.services import stock_receive
from orders.models import TaxRate
from shipping.models import ShippingMethod


def shipping_methods_seed() -> None:
    """The two methods the migration creates, in case they were removed since."""
    for code, name, flat, per_kg, days, priority in (
        ("standard", "Standard (3–5 days)", "4.95", "0.50", 4, 100),
        ("express", "Express (1–2 days)", "14.95", "1.00", 1, 10),
    ):
        ShippingMethod.objects.get_or_create(
            code=code,
            defaults={"name": name, "flat_fee": flat, "per_kg": per_kg, "transit_days": days, "priority": priority},
        )


def warehouses_seed() -> list[Warehouse]:
    return [
        Warehouse.objects.get_or_create(code=code, defaults={"name": name, "country": country, "priority": prio})[0]
        for code, name, country, prio, _ in WAREHOUSES
    ]


def products_seed() -> list[Product]:
    return [
        Product.objects.get_or_create(
            sku=sku,
            defaults={
                "name": name,
                "price": Decimal(price),
                "weight_kg": Decimal(weight),
                "reorder_point": 5 + index % 4 * 3,
                "is_active": sku != DISCONTINUED[0],
            },
        )[0]
        for index, (sku, name, price, weight) in enumerate([*CATALOG, DISCONTINUED])
    ]


def stock_seed(
    rng: random.Random, products: list[Product], warehouses: list[Warehouse], *, scale: int, at: datetime
) -> None:
    """Opening stock, booked as goods receipts so the ledger explains every unit."""
    aisles = {code: aisle for code, *_, aisle in WAREHOUSES}
    existing = {(i.product_id, i.warehouse_id): i for i in StockItem.objects.all()}
    bins = Counter(i.warehouse_id for i in existing.values())
    for product in products:
        if not product.is_active:
            continue
        chosen = [w for w, share in zip(warehouses, (0.9, 0.6, 0.5), strict=True) if rng.random() < share]
        chosen = chosen or warehouses[:1]
        for warehouse in chosen:
            if product.sku in OUT_OF_STOCK:
                wanted = 0
            elif product.sku in LOW_STOCK:
                wanted = rng.randint(1, 3) if warehouse == chosen[0] else 0
            else:
                wanted = rng.randint(4, 16) * 10 * scale
            item = existing.get((product.pk, warehouse.pk))
            if item is None:
                n = bins[warehouse.pk]
                bins[warehouse.pk] += 1
                item = StockItem.objects.create(
                    product=product,
                    warehouse=warehouse,
                    bin_location=f"{aisles.get(warehouse.code, 'A')}-{n // 8 + 1:02d}-{n % 8 + 1}",
                )
            if wanted > item.available:
                stock_receive(
                    stock_item_id=item.pk, quantity=wanted - item.available, reason="Opening stock", actor="seed"
                )
    StockMovement.objects.filter(reason="Opening stock", reference="").update(created_at=at)


def tax_rates_seed() -> None:
    for country, rate in TAX_RATES.items():
        TaxRate.objects.update_or_create(country=country, defaults={"rate": Decimal(rate)})
