"""Order list benchmark: the desk's order list with 100,000 orders, against the same page with 1,000.

Run from the project folder, with PostgreSQL up (``bin/services-up``)::

    .venv/bin/python bench/dashboard.py                     # 100,000 orders, 7 timed requests per page
    .venv/bin/python bench/dashboard.py --orders 20000 --repeat 11

What it does:

1. creates a fresh PostgreSQL database (``--database``, default ``oms_bench_dash``; dropped first if it
   exists) and migrates it (so the list's indexes of orders 0006 and 0007 are there);
2. fills it fast with plain ``bulk_create`` (not through the services: placement runs ~20 ms an order):
   3 warehouses, 60 products, one customer per 5 orders, per-order address rows, 1–3 lines per order with
   their warehouse allocations, shipments with tracking numbers for shipped orders (a few with a carrier
   exception), statuses spread like a running shop;
3. first with ``--baseline-orders`` (default 1,000) orders, then with ``--orders``: signs a manager in with
   Django's test client and requests each order-list variant (default, each filter, the product (SKU)
   filter, search by email / number / name / tracking number, each sort, a deep page, htmx partial)
   ``--repeat`` times after one warm-up, printing the median and the slowest time in ms and the number
   of database queries;
4. prints the ratio of each 100k figure to the same page at 1k, then drops the database.

Times are in-process (no HTTP server): the view, its queries and the template rendering.
"""

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchdb import recreate_database  # noqa: E402

STATUS_MIX = [  # (status, share, days ago low, high)
    ("completed", 40, 20, 400),
    ("delivered", 8, 3, 15),
    ("in_transit", 6, 1, 5),
    ("shipped", 4, 0, 2),
    ("fulfilling", 5, 0, 2),
    ("confirmed", 12, 0, 3),
    ("credit_approved", 3, 0, 7),
    ("on_hold", 7, 0, 20),
    ("cancelled", 15, 1, 400),
]
HOLD_REASONS = ["out_of_stock", "credit", "payment_failed", "fraud_review", "address_problem"]
CHANNELS = ["web"] * 6 + ["phone", "email", "in_store", "import"]
FIRST = "Ava Liam Noah Emma Olivia Mia Lucas Sofia Amir Chloe Diego Hannah Jonas Lea Mateo Nora Oscar Priya".split()
LAST = "Smith Johnson Garcia Muller Schmidt Dubois Martin Jansen Brown Wilson Taylor Nguyen Kim Patel Rossi".split()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the big run (default 100000)")
    parser.add_argument("--baseline-orders", type=int, default=1_000, help="orders in the baseline run (1000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--database", default="oms_bench_dash", help="database to create and drop")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server, without a database name"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def configure_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


class Filler:
    """Adds orders with plain bulk inserts, continuing the numbering of earlier calls."""

    def __init__(self, seed: int = 7):
        from django.contrib.auth.models import Group, User
        from django.core.management import call_command

        from inventory.models import Product, StockItem, Warehouse

        call_command("migrate", verbosity=0, interactive=False)
        self.random = random.Random(seed)
        self.warehouses = Warehouse.objects.bulk_create(
            Warehouse(code=code, name=code, priority=i + 1) for i, code in enumerate(["NJ1", "NV1", "NL1"])
        )
        self.products = Product.objects.bulk_create(
            Product(sku=f"SKU-{i:03d}", name=f"Product {i}", price=Decimal(5 + i), weight_kg=Decimal("0.5"))
            for i in range(60)
        )
        self.stock = {
            (s.product_id, s.warehouse_id): s
            for s in StockItem.objects.bulk_create(
                StockItem(product=p, warehouse=w, on_hand=10**7, reserved=0)
                for p in self.products
                for w in self.warehouses
            )
        }
        self.user = User.objects.create(username="bench-manager", is_staff=True)
        self.user.groups.add(Group.objects.get(name="manager"))
        self.count = 0
        self.customers: list = []

    def add(self, n: int) -> None:
        from django.utils import timezone

        from orders.models import Address, Customer, LineAllocation, Order, OrderLine
        from payments.models import Payment
        from shipping.models import Shipment

        rnd = self.random
        now = timezone.now()
        new_customers = Customer.objects.bulk_create(
            (
                Customer(
                    email=f"buyer{self.count + i}@example.com",
                    name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {self.count + i}",
                )
                for i in range(max(1, n // 5))
            ),
            batch_size=5000,
        )
        self.customers += new_customers
        weights = [share for _, share, _, _ in STATUS_MIX]
        specs = []
        for i in range(n):
            status, _, low, high = rnd.choices(STATUS_MIX, weights)[0]
            customer = rnd.choice(self.customers)
            placed = now - timedelta(days=rnd.uniform(low, high))
            specs.append((self.count + i, status, customer, placed))
        addresses = Address.objects.bulk_create(
            (
                Address(
                    customer=c,
                    name=c.name,
                    line1=f"{k % 500} Main St",
                    city="Portland",
                    postal_code="97205",
                    country="US",
                )
                for k, _, c, _ in specs
            ),
            batch_size=5000,
        )
        orders, planned = [], []
        for (k, status, customer, placed), address in zip(specs, addresses, strict=True):
            express = rnd.random() < 0.15
            hold = rnd.choice(HOLD_REASONS) if status == "on_hold" else ""
            shipped_states = ("shipped", "in_transit", "delivered", "completed")
            shipped = placed + timedelta(hours=20) if status in shipped_states else None
            picks = [
                (p, rnd.randint(1, 3), rnd.choice(self.warehouses))
                for p in rnd.sample(self.products, rnd.randint(1, 3))
            ]
            subtotal = sum((p.price * q for p, q, _ in picks), Decimal("0"))
            planned.append(picks)
            orders.append(
                Order(
                    number=f"B{k:07d}",
                    channel=rnd.choice(CHANNELS),
                    customer=customer,
                    shipping_address=address,
                    billing_address=address,
                    shipping_method="express" if express else "standard",
                    currency="USD",
                    subtotal=subtotal,
                    shipping_total=Decimal("4.95"),
                    tax_total=Decimal("0"),
                    total=subtotal + Decimal("4.95"),
                    promised_ship_date=(placed + timedelta(days=1)).date(),
                    estimated_delivery_date=(placed + timedelta(days=2 if express else 5)).date(),
                    status=status,
                    hold_reason=hold,
                    held_from="confirmed" if hold else "",
                    payment_method="bank_transfer" if status == "credit_approved" else "card",
                    payment_status="awaiting_funds" if status == "credit_approved" else "authorized",
                    placed_at=placed,
                    shipped_at=shipped,
                )
            )
        orders = Order.objects.bulk_create(orders, batch_size=5000)
        lines, line_warehouse = [], []
        for order, picks in zip(orders, planned, strict=True):
            for product, quantity, warehouse in picks:
                lines.append(
                    OrderLine(
                        order=order,
                        product=product,
                        sku=product.sku,
                        name=product.name,
                        quantity=quantity,
                        unit_price=product.price,
                        line_total=product.price * quantity,
                        quantity_reserved=quantity if order.status != "cancelled" else 0,
                        quantity_shipped=quantity if order.shipped_at else 0,
                    )
                )
                line_warehouse.append(warehouse)
        lines = OrderLine.objects.bulk_create(lines, batch_size=5000)
        LineAllocation.objects.bulk_create(
            (
                LineAllocation(
                    line=line,
                    stock_item=self.stock[(line.product_id, warehouse.pk)],
                    warehouse=warehouse,
                    quantity=line.quantity,
                    is_released=line.quantity_reserved == 0,
                    is_shipped=line.quantity_shipped > 0,
                )
                for line, warehouse in zip(lines, line_warehouse, strict=True)
            ),
            batch_size=5000,
        )
        Payment.objects.bulk_create(
            (
                Payment(order=o, method=o.payment_method, status=o.payment_status, currency="USD", amount=o.total)
                for o in orders
            ),
            batch_size=5000,
        )
        shipment_status = {"shipped": "label_created", "in_transit": "in_transit", "delivered": "delivered"}
        Shipment.objects.bulk_create(
            (
                Shipment(
                    order=o,
                    warehouse=self.warehouses[0],
                    carrier="demo",
                    service=o.shipping_method,
                    tracking_number=f"DMO{o.pk:012d}",
                    status="exception"
                    if o.status == "in_transit" and rnd.random() < 0.05
                    else shipment_status.get(o.status, "delivered"),
                )
                for o in orders
                if o.shipped_at
            ),
            batch_size=5000,
        )
        self.count += n
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pages(filler: Filler) -> dict[str, str]:
    """The list variants to time: name → URL. Search terms pick rows that exist."""
    from inventory.models import Warehouse
    from orders.models import Order
    from shipping.models import Shipment

    some = Order.objects.select_related("customer").order_by("pk")[filler.count // 2]
    tracking = Shipment.objects.order_by("pk").values_list("tracking_number", flat=True)[0]
    warehouse = Warehouse.objects.order_by("pk").values_list("pk", flat=True)[1]
    sku = some.lines.order_by("pk").values_list("sku", flat=True)[0]
    last_page = max(1, min(filler.count, 10_000) // 50)
    week_before = (some.placed_at - timedelta(days=7)).date()
    return {
        "default (newest first)": "/dashboard/orders/",
        "status=confirmed": "/dashboard/orders/?status=confirmed",
        "status=on_hold&hold_reason=credit": "/dashboard/orders/?status=on_hold&hold_reason=credit",
        "channel=phone": "/dashboard/orders/?channel=phone",
        "warehouse": f"/dashboard/orders/?warehouse={warehouse}",
        "date range (7 days)": f"/dashboard/orders/?date_from={week_before}&date_to={some.placed_at.date()}",
        "customer": f"/dashboard/orders/?customer={some.customer_id}",
        "sku (any case)": f"/dashboard/orders/?sku={sku.lower()}",
        "sku + status=on_hold": f"/dashboard/orders/?sku={sku}&status=on_hold",
        "sku, no such product": "/dashboard/orders/?sku=NO-SUCH-SKU",
        "queue=ready (priority sort)": "/dashboard/orders/?queue=ready&sort=priority",
        "queue=overdue": "/dashboard/orders/?queue=overdue&sort=ship_by",
        "queue=exception": "/dashboard/orders/?queue=exception",
        "search email (exact)": f"/dashboard/orders/?q={some.customer.email}",
        "search email (part)": "/dashboard/orders/?q=buyer12%40",
        "search number": f"/dashboard/orders/?q={some.number}",
        "search name": f"/dashboard/orders/?q={some.customer.name.split()[0]}+{some.customer.name.split()[1]}",
        "search tracking": f"/dashboard/orders/?q={tracking}",
        "sort oldest": "/dashboard/orders/?sort=placed",
        "sort total desc": "/dashboard/orders/?sort=-total",
        "sort ship-by": "/dashboard/orders/?sort=ship_by",
        "sort number": "/dashboard/orders/?sort=number",
        "deepest page (offset 9,950)": f"/dashboard/orders/?page={last_page}",
        "htmx partial, status=shipped": "/dashboard/orders/?status=shipped",
        "order page": f"/dashboard/orders/{some.number}/",
        "home": "/dashboard/",
    }


def measure(client, url: str, repeat: int, *, htmx: bool = False) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(url, **headers)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), len(queries)


def run(filler: Filler, repeat: int) -> dict[str, tuple[float, float, int]]:
    from django.test import Client

    client = Client()
    client.force_login(filler.user)
    return {name: measure(client, url, repeat, htmx=name.startswith("htmx")) for name, url in pages(filler).items()}


def main() -> None:
    args = parse_args()
    recreate_database(args.server, args.database)
    try:
        configure_django(f"{args.server}/{args.database}")
        started = time.perf_counter()
        filler = Filler()
        filler.add(args.baseline_orders)
        small = run(filler, args.repeat)
        fill_start = time.perf_counter()
        filler.add(args.orders - args.baseline_orders)
        fill_seconds = time.perf_counter() - fill_start
        print(f"filled {args.orders:,} orders in {fill_seconds:.0f} s (bulk inserts)\n")
        big = run(filler, args.repeat)
        width = max(len(name) for name in big) + 2
        header = f"{'page':<{width}}{'1k median':>10}{'q':>4}{'100k median':>13}{'max':>8}{'q':>4}{'ratio':>8}"
        print(header.replace("100k", f"{args.orders // 1000}k").replace("1k", f"{args.baseline_orders // 1000}k"))
        print("-" * len(header))
        for name, (median, worst, queries) in big.items():
            base_median, _, base_queries = small.get(name, (float("nan"), 0, 0))
            ratio = median / base_median if base_median else float("nan")
            print(
                f"{name:<{width}}{base_median:>10.1f}{base_queries:>4}{median:>13.1f}{worst:>8.1f}{queries:>4}{ratio:>8.2f}"
            )
        print(f"\nms per request (Django test client, in-process), median of {args.repeat}; q = database queries.")
        print(f"total run {time.perf_counter() - started:.0f} s")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(args.server, args.database, drop_only=True)


if __name__ == "__main__":
    main()
