"""What the demo's orders draw on: the shop, its customers and staff, and a storefront."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from dashboard.management.demo.catalog import (
    products_seed,
    shipping_methods_seed,
    stock_seed,
    tax_rates_seed,
    warehouses_seed,
)
from dashboard.management.demo.data import LOW_STOCK, OUT_OF_STOCK, STOREFRONT_NAME
from dashboard.management.demo.people import customers_seed, staff_seed
from inventory.models import Product
from oms.authentication import storefront_create
from oms.models import Storefront
from orders.models import Address, Customer
from shipping.models import ShippingMethod


@dataclass
class Demo:
    """What the order plans draw on, and what happened."""

    rng: random.Random
    now: datetime
    storefront: Storefront
    staff: dict[str, User]
    products: list[Product]  # in stock: for ordinary orders
    out_of_stock: list[Product]
    people: list[Customer]  # prepaid
    accounts: list[Customer]  # on account, with a comfortable credit limit
    tight_accounts: list[Customer]  # on account, with a limit one order exceeds
    addresses: dict[int, Address]
    transit_days: dict[str, int]
    existing_users: list[str] = field(default_factory=list)  # kept as they were, with their own passwords
    off_plan: list[str] = field(default_factory=list)


def demo_setup(*, seed: int, customer_count: int, order_count: int) -> tuple[Demo, str]:
    """The shop, customers, staff and a new storefront; returns them with the storefront's API key."""
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    shipping_methods_seed()
    warehouses = warehouses_seed()
    products = products_seed()
    stock_seed(rng, products, warehouses, scale=max(1, -(-order_count // 1000)), at=now - timedelta(days=61))
    tax_rates_seed()
    people, accounts, tight, addresses = customers_seed(rng, customer_count)
    staff, existing_users = staff_seed()
    storefront, key = storefront_create(name=_free_storefront_name())
    demo = Demo(
        rng=rng,
        now=now,
        storefront=storefront,
        staff=staff,
        products=[p for p in products if p.is_active and p.sku not in OUT_OF_STOCK + LOW_STOCK],
        out_of_stock=[p for p in products if p.sku in OUT_OF_STOCK],
        people=people,
        accounts=accounts,
        tight_accounts=tight,
        addresses=addresses,
        transit_days=dict(ShippingMethod.objects.values_list("code", "transit_days")),
        existing_users=existing_users,
    )
    return demo, key


def _free_storefront_name() -> str:
    name, n = STOREFRONT_NAME, 1
    while Storefront.objects.filter(name=name).exists():
        n += 1
        name = f"{STOREFRONT_NAME} {n}"
    return name
