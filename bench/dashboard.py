"""Staff dashboard benchmark: every order-list variant, the order page and home with many orders, against the
same pages with 1,000.

Run from the project folder, with PostgreSQL up (``bin/services-up``)::

    .venv/bin/python bench/dashboard.py                     # 100,000 orders, 20 timed requests per page
    .venv/bin/python bench/dashboard.py --orders 1000000    # a million: ~4–7 min of fill on 2 cores

What it does:

1. creates a fresh PostgreSQL database (``--database``, default ``oms_bench_dash``; dropped first if it
   exists) and migrates it (so the list's indexes are there);
2. fills it with ``INSERT ... SELECT`` over ``generate_series`` (bench/fill.py; not through the services,
   nor the ORM): 3 warehouses, 60 products, one customer per 5 orders, an address row per order, 2–4 lines
   per order with their warehouse allocations, a payment per order, shipments with tracking numbers for
   shipped orders (a few with a carrier exception), each order's timeline of status events, statuses spread
   like a running shop; then ``VACUUM ANALYZE``. Prints the fill time, per table, and the table sizes;
3. first with ``--baseline-orders`` (default 1,000) orders, then with ``--orders``: signs a manager in with
   Django's test client and requests each order-list variant (default, each filter, the product (SKU)
   filter, search by email / number / name / tracking number, each sort, a deep page, htmx partial), the
   order page and home ``--repeat`` times after one warm-up (fewer, at least 3, for a page slower than
   ``--page-budget`` seconds in all), printing the median and p95 time in ms and the number of queries;
4. prints the ratio of each figure to the same page at the baseline, then drops the database (``--keep``
   keeps it).

Fill once, measure many times: ``--orders 1000000 --database oms_bench1m --keep`` keeps the filled database;
``--database oms_bench1m --reuse`` then migrates it (new indexes), runs ANALYZE and times the pages again
without filling or a baseline run; ``--only home`` times only the pages whose name holds that text. Each
page's row also gives ``sql``, its median time in the database, which a busy shared machine inflates less
than the Python and template work.

Times are in-process (no HTTP server): the view, its queries and the template rendering.
"""

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchdb import recreate_database  # noqa: E402
from fill import Filler  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the big run (default 100000)")
    parser.add_argument("--baseline-orders", type=int, default=1_000, help="orders in the baseline run (1000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument(
        "--page-budget", type=float, default=60, help="seconds of timed requests per page at most (default 60)"
    )
    parser.add_argument("--database", default="oms_bench_dash", help="database to create and drop")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server, without a database name"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database --database already holds (filled by an earlier --keep run) after migrating it:"
        " no fill, no baseline run, and it is kept",
    )
    parser.add_argument("--only", default="", help="time only the pages whose name contains this text")
    return parser.parse_args()


def configure_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.pop("DATABASE_REPLICA_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def pages(filler: Filler) -> dict[str, str]:
    """The list variants to time: name → URL. Search terms pick rows that exist."""
    from inventory.models import Warehouse
    from orders.models import Order
    from shipping.models import Shipment

    some = Order.objects.select_related("customer").filter(pk__gte=filler.count // 2).order_by("pk").first()
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


def measure(
    client, url: str, repeat: int, *, budget: float, htmx: bool = False
) -> tuple[float, float, int, int, float]:
    """(median ms, p95 ms, queries, requests timed, median ms in the database) of up to ``repeat`` requests
    after one warm-up; a page whose warm-up is slow gets as many as fit in ``budget`` seconds, at least 3.

    The database time (the queries' own times, as Django records them) tells the page's SQL apart from its
    Python and template work, which a busy shared machine slows most."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    start = time.perf_counter()
    response = client.get(url, **headers)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    warm_up = time.perf_counter() - start
    count = max(3, min(repeat, int(budget / max(warm_up, 1e-3))))
    times, sql = [], []
    for _ in range(count):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return statistics.median(times), percentile(times, 95), len(queries), count, statistics.median(sql)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: with 20 samples p95 is the second slowest, with fewer than 20 the slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def run(filler: Filler, repeat: int, budget: float, only: str = "") -> dict[str, tuple[float, float, int, int, float]]:
    from django.test import Client

    client = Client()
    client.force_login(filler.user)
    results = {}
    for name, url in pages(filler).items():
        if only in name:
            results[name] = measure(client, url, repeat, budget=budget, htmx=name.startswith("htmx"))
    return results


@dataclass
class Filled:
    """A database an earlier run filled and kept (``--reuse``): its order count and the bench manager."""

    count: int
    user: object


def filled() -> Filled:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from orders.models import Order

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # new expression indexes get their statistics
    return Filled(count=Order.objects.count(), user=User.objects.get(username="bench-manager"))


def table_sizes() -> list[tuple[str, int, str]]:
    """(table, rows, size with indexes) of the biggest tables, for the record."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid))
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'r' AND n.nspname = 'public'
               ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 10"""
        )
        return cursor.fetchall()


def fill(filler: Filler, n: int) -> float:
    """Add ``n`` orders, then VACUUM ANALYZE as autovacuum would; seconds taken by the inserts."""
    from django.db import connection

    started = time.perf_counter()
    written = filler.add(n)
    seconds = time.perf_counter() - started
    vacuum_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    rows = ", ".join(f"{name} {count:,}" for name, count in written.items())
    vacuum = time.perf_counter() - vacuum_started
    print(f"filled {n:,} orders in {seconds:.1f} s ({rows}); VACUUM ANALYZE {vacuum:.1f} s")
    return seconds


def main() -> None:
    args = parse_args()
    if not args.reuse:
        recreate_database(args.server, args.database)
    try:
        configure_django(f"{args.server}/{args.database}")
        started = time.perf_counter()
        small = {}
        if args.reuse:
            filler = filled()
            print(f"reusing {args.database}: {filler.count:,} orders")
        else:
            filler = Filler()
            fill(filler, args.baseline_orders)
            small = run(filler, args.repeat, args.page_budget, args.only)
            fill(filler, args.orders - args.baseline_orders)
            print("per table (step):", ", ".join(f"{k} {v:.1f} s" for k, v in filler.timings.items()))
        for table, rows, size in table_sizes():
            print(f"  {table:<32} {rows:>12,} rows {size:>10}")
        print()
        big = run(filler, args.repeat, args.page_budget, args.only)
        width = max(len(name) for name in big) + 2
        small_label, big_label = _label(args.baseline_orders), _label(filler.count)
        header = (
            f"{'page':<{width}}{small_label + ' med':>10}{'q':>4}{big_label + ' med':>12}{'p95':>9}{'sql':>8}"
            f"{'q':>4}{'n':>4}{'ratio':>8}"
        )
        print(header)
        print("-" * len(header))
        for name, (median, p95, queries, count, sql) in big.items():
            base_median, _, base_queries, _, _ = small.get(name, (float("nan"), 0, 0, 0, 0))
            ratio = median / base_median if base_median else float("nan")
            print(
                f"{name:<{width}}{base_median:>10.1f}{base_queries:>4}{median:>12.1f}{p95:>9.1f}{sql:>8.1f}"
                f"{queries:>4}{count:>4}{ratio:>8.2f}"
            )
        print(
            f"\nms per request (Django test client, in-process), median and p95 of n requests after a warm-up"
            f" (n = --repeat {args.repeat}, fewer for a page slower than --page-budget); sql = median ms in the"
            f" database; q = database queries."
        )
        print(f"total run {time.perf_counter() - started:.0f} s")
    finally:
        if not (args.keep or args.reuse):
            from django.db import connections

            connections.close_all()
            recreate_database(args.server, args.database, drop_only=True)


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


if __name__ == "__main__":
    main()
