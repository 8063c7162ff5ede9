"""Reporting benchmark: the reports API and selectors, and the orders.csv export, at 1,000,000 orders beside
the same at 10,000.

Run from the project folder, with PostgreSQL up (``bin/services-up``)::

    .venv/bin/python bench/reporting.py                      # 1,000,000 orders (baseline 10,000)
    .venv/bin/python bench/reporting.py --orders 100000      # a quicker look

What it does:

1. creates a fresh PostgreSQL database (``--database``, default ``oms_bench_reports``), migrates it and fills
   it with bench/fill.py (``INSERT ... SELECT`` over ``generate_series``: ~3 lines per order, allocations,
   payments, shipments, each order's timeline; statuses spread like a running shop over ~400 days), plus
   the hold history of the held orders;
2. builds the report facts and rollups with ``manage.py reporting_rebuild`` (timed);
3. times each report call ``--repeat`` times after a warm-up (Django test client with a staff token for the
   API; the selectors called directly for what only the pages use): median and p95 in ms;
4. streams ``/api/v1/reports/orders.csv`` over the most recent ``--export-orders`` orders (all of them in the
   baseline run) and reports rows, seconds and the peak Python memory while streaming (tracemalloc);
5. does the same with ``--orders`` and prints both side by side, then drops the database (``--keep`` keeps it).
"""

import argparse
import importlib.util
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(1, str(BASE_DIR / "bench"))

from benchdb import recreate_database  # noqa: E402
from fill import Filler  # noqa: E402
from stack import percentile  # noqa: E402


def _bench_dashboard():
    """bench/dashboard.py's fill and helpers (its module name would shadow the dashboard app)."""
    spec = importlib.util.spec_from_file_location("bench_dashboard", BASE_DIR / "bench" / "dashboard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the big run (default 1000000)")
    parser.add_argument("--baseline-orders", type=int, default=10_000, help="orders in the baseline run (10000)")
    parser.add_argument("--export-orders", type=int, default=100_000, help="orders in the timed CSV export")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per report (default 20)")
    parser.add_argument("--database", default="oms_bench_reports", help="database to create and drop")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server, without a database name"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def add_holds() -> None:
    """The hold history the services would have written for the orders the fill left on hold."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reporting_orderhold")
        cursor.execute(
            "INSERT INTO reporting_orderhold (order_id, reason, held_at) "
            "SELECT id, hold_reason, placed_at + interval '15 hours' FROM orders_order WHERE status = 'on_hold'"
        )


def rebuild() -> float:
    from django.core.management import call_command

    from orders.models import Order
    from reporting.filters import local_day, shop_today

    first = local_day(Order.objects.order_by("placed_at").values_list("placed_at", flat=True).first())
    started = time.perf_counter()
    call_command("reporting_rebuild", "--from", first.isoformat(), "--to", shop_today().isoformat(), verbosity=0)
    seconds = time.perf_counter() - started
    print(f"reporting_rebuild {first} .. {shop_today()}: {seconds:.1f} s")
    return seconds


def calls(today) -> dict:
    """Report name → a callable doing it once (API through the test client, selectors directly)."""
    from django.test import Client

    from oms.authentication import staff_token_create
    from reporting.filters import ReportFilter
    from reporting.selectors import flow, sales

    user = _viewer()
    client = Client(HTTP_AUTHORIZATION=f"Token {staff_token_create(user=user)[1]}")
    browser = Client()  # the dashboard, signed in as the manager
    browser.force_login(user)

    def page(group: str, **params):
        def call():
            response = browser.get(f"/dashboard/reports/{group}/", params)
            assert response.status_code == 200, (group, response.status_code)

        return call

    def api(path, **params):
        def call():
            response = client.get(path, params)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])

        return call

    month = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    f30 = ReportFilter(date_from=today - timedelta(days=29), date_to=today)
    f365 = ReportFilter(date_from=today - timedelta(days=364), date_to=today)
    return {
        "API summary, 30 days": api("/api/v1/reports/summary/", **month),
        "API summary, 365 days": api("/api/v1/reports/summary/", **year),
        "API summary, 30 days, channel=phone": api("/api/v1/reports/summary/", channel="phone", **month),
        "API timeseries revenue/day, 30 days": api(
            "/api/v1/reports/timeseries/", metric="revenue", interval="day", **month
        ),
        "API timeseries orders/month, 365 d": api(
            "/api/v1/reports/timeseries/", metric="orders", interval="month", **year
        ),
        "sales comparison, 30 days": lambda: sales.sales_comparison(f30),
        "revenue by channel, 365 days": lambda: sales.revenue_by_channel(f365),
        "top products, 30 days": lambda: sales.top_products(f30),
        "top products, 30 days, channel": lambda: sales.top_products(ReportFilter(f30.date_from, today, "phone")),
        "top customers, 30 days": lambda: sales.top_customers(f30),
        "cancellations by reason, 365 d": lambda: sales.cancellations_by_reason(f365),
        "cycle times, 30 days": lambda: flow.cycle_times(f30),
        "on-time rates, 365 days": lambda: flow.on_time_rates(f365),
        "stuck orders now": lambda: flow.stuck_orders(),
        **{
            f"page {group}, {days} days": page(group, **rng)
            for group in ("sales", "flow", "exceptions", "customers", "inventory", "team")
            for days, rng in ((30, month), (365, year))
        },
    }


def _viewer():
    from django.contrib.auth.models import Permission, User

    user = User.objects.get(username="bench-manager")
    user.user_permissions.add(Permission.objects.get(codename="view_reports", content_type__app_label="reporting"))
    return User.objects.get(pk=user.pk)  # a fresh object: no permission cache


def measure(call, repeat: int) -> tuple[float, float]:
    call()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 95)


def export(n: int) -> tuple[int, float, float, int]:
    """Stream orders.csv over the most recent ``n`` orders: (rows, seconds, peak MiB while streaming, bytes)."""
    from django.test import Client

    from oms.authentication import staff_token_create
    from orders.models import Order
    from reporting.filters import local_day, shop_today

    placed = Order.objects.order_by("-placed_at").values_list("placed_at", flat=True)
    count = Order.objects.count()
    since = placed[min(n, count) - 1]
    client = Client(HTTP_AUTHORIZATION=f"Token {staff_token_create(user=_viewer())[1]}")
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(
        "/api/v1/reports/orders.csv", {"from": local_day(since).isoformat(), "to": shop_today().isoformat()}
    )
    rows, size = -1, 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, seconds, peak / 2**20, size


def run(args, label: str) -> dict:
    from reporting.filters import shop_today

    results = {name: measure(call, args.repeat) for name, call in calls(shop_today()).items()}
    rows, seconds, peak, size = export(args.export_orders)
    results[f"orders.csv export ({rows:,} rows, {size / 2**20:.0f} MiB)"] = (seconds * 1000, float("nan"))
    print(f"[{label}] orders.csv: {rows:,} rows in {seconds:.1f} s, peak Python memory {peak:.1f} MiB")
    return results, peak


def main() -> None:
    args = parse_args()
    bench_dashboard = _bench_dashboard()
    recreate_database(args.server, args.database)
    try:
        bench_dashboard.configure_django(f"{args.server}/{args.database}")
        started = time.perf_counter()
        filler = Filler()
        small_label, big_label = bench_dashboard._label(args.baseline_orders), bench_dashboard._label(args.orders)
        bench_dashboard.fill(filler, args.baseline_orders)
        add_holds()
        small_rebuild = rebuild()
        small, small_peak = run(args, small_label)
        bench_dashboard.fill(filler, args.orders - args.baseline_orders)
        add_holds()
        big_rebuild = rebuild()
        for table, rows, size in bench_dashboard.table_sizes():
            print(f"  {table:<32} {rows:>12,} rows {size:>10}")
        big, big_peak = run(args, big_label)
        width = max(len(name) for name in big) + 2
        header = f"{'report':<{width}}{small_label + ' med':>10}{'p95':>8}{big_label + ' med':>11}{'p95':>8}"
        print()
        print(header)
        print("-" * len(header))
        for (name, (median, p95)), (small_median, small_p95) in zip(big.items(), small.values(), strict=True):
            print(f"{name:<{width}}{small_median:>10.1f}{small_p95:>8.1f}{median:>11.1f}{p95:>8.1f}")
        print(f"{'reporting_rebuild, all days (s)':<{width}}{small_rebuild:>10.1f}{'':>8}{big_rebuild:>11.1f}")
        print(f"{'orders.csv peak Python memory (MiB)':<{width}}{small_peak:>10.1f}{'':>8}{big_peak:>11.1f}")
        print(
            "\nms per call (in-process: Django test client for the API and the dashboard pages, selectors called"
            f" directly), median and p95 of {args.repeat} calls after a warm-up; the export row is one download."
        )
        print(f"total run {time.perf_counter() - started:.0f} s")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(args.server, args.database, drop_only=True)


if __name__ == "__main__":
    main()
