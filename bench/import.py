"""Bulk import benchmark: rows/s of a 10,000-row order file imported the way the Celery task does it.

Run from the project folder, with PostgreSQL and Redis up (``bin/services-up``)::

    .venv/bin/python bench/import.py                         # 10,000 rows: 5,000 orders of 2 lines
    .venv/bin/python bench/import.py --rows 20000 --lines 1

What it does: creates a fresh database (``--database``, dropped first and afterwards), migrates it and seeds
products with plenty of stock and a storefront (bench/stack.py); writes a CSV of ``--rows`` rows (``--lines``
rows per order, a customer out of ``--customers``, paid by bank transfer); then, in this process, stores the
import and runs it exactly as ``import_orders_task`` does (``order_import_run``: the file read and checked,
then every order placed by ``order_place`` in its own transaction with the import's progress). Tasks the
placements queue go to a Redis database no worker reads (``--broker``), emptied afterwards, so the figure is
the import's own work. Prints the seconds for the check (the dashboard's dry run) and the import, and rows/s.
"""

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redis  # noqa: E402
from benchdb import recreate_database  # noqa: E402
from stack import configure_django, seed, server_env  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=2, help="rows (lines) per order (default 2)")
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--database", default="oms_bench_import", help="database to create and drop")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL, no database")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14", help="Redis database for queued tasks")
    return parser.parse_args(argv)


def order_file(*, rows: int, lines: int, customers: int, products: int) -> bytes:
    from orders.services.import_files import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for n in range(rows):
        order, line = divmod(n, lines)
        c = order % customers
        values = {
            "external_ref": f"BENCH-{order:07d}",
            "customer_email": f"c{c}@bench.example",
            "customer_name": f"Bench Buyer {c}",
            "ship_name": f"Bench Buyer {c}",
            "ship_line1": f"{c % 90 + 1} Main St",
            "ship_city": "Berlin",
            "ship_postal_code": "10115",
            "ship_country": "DE",
            "shipping_method": "standard",
            "payment_method": "bank_transfer",
            "sku": f"BENCH-{(order * lines + line) % products:04d}",
            "quantity": "1",
        }
        writer.writerow([values.get(column, "") for column in COLUMNS])
    return out.getvalue().encode()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="oms-bench-import-"))
    env = server_env(database_url=f"{args.server}/{args.database}", broker=args.broker, workdir=workdir)
    recreate_database(args.server, args.database)
    try:
        configure_django(env)
        seed(products=max(args.products, args.lines))
        from django.conf import settings

        from oms.models import Storefront
        from orders.models import Order, OrderImport
        from orders.services.imports import order_import_create, order_import_preview, order_import_run

        settings.OMS_IMPORT_MAX_ROWS = max(settings.OMS_IMPORT_MAX_ROWS, args.rows)
        settings.OMS_IMPORT_MAX_BYTES = max(settings.OMS_IMPORT_MAX_BYTES, args.rows * 400)
        content = order_file(rows=args.rows, lines=args.lines, customers=args.customers, products=args.products)
        storefront = Storefront.objects.get(name="bench")
        print(f"{args.rows:,} rows, {args.rows // args.lines:,} orders of {args.lines} line(s), {len(content):,} bytes")

        draft = order_import_create(
            storefront_id=storefront.pk, name="bench.csv", content=content, actor="bench", start=False
        )
        started = time.perf_counter()
        preview = order_import_preview(import_id=draft.pk)
        checked = time.perf_counter() - started
        OrderImport.objects.filter(pk=draft.pk).update(status=OrderImport.Status.QUEUED)
        started = time.perf_counter()
        result = order_import_run(import_id=draft.pk)
        took = time.perf_counter() - started
        placed = Order.objects.filter(storefront=storefront).count()
        print(f"dry run (read and check every row): {checked:.1f} s, {args.rows / checked:,.0f} rows/s")
        print(
            f"import: {result.status}, {result.created:,} created, {result.skipped} skipped, {result.failed} failed "
            f"({preview.failed} bad in the dry run), {placed:,} orders in the database"
        )
        print(f"import: {took:.1f} s, {args.rows / took:,.0f} rows/s, {result.created / took:,.0f} orders/s")
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(args.server, args.database, drop_only=True)
        redis.Redis.from_url(args.broker).flushdb()


if __name__ == "__main__":
    main()
