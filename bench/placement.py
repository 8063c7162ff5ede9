"""Order placement benchmark: orders/s and latency through the real HTTP stack, against a one-row insert.

Run from the project folder, with PostgreSQL and Redis up (``bin/services-up``)::

    .venv/bin/python bench/placement.py                      # 2,000 requests (or 30 s) per endpoint, 8 clients
    .venv/bin/python bench/placement.py --orders 5000 --clients 16 --lines 3

What it does:

1. creates a fresh PostgreSQL database (``--database``, default ``oms_bench``; dropped first if it exists),
   migrates it and seeds products with plenty of stock and a storefront key;
2. starts gunicorn (``--workers`` sync workers, default 2) on a free port on 127.0.0.1, production-shaped:
   DEBUG=0, persistent connections, queued work sent to Redis db 14 (``--broker``; no worker consumes it,
   the database is purged afterwards), ``OMS_BENCH_ENDPOINTS=1`` for the baseline endpoint;
3. places ``--orders`` orders of ``--lines`` lines through ``POST /api/v1/orders/`` from ``--clients``
   concurrent clients (each a thread with its own ``requests.Session``), stopping early after
   ``--max-seconds``; then does the same against ``POST /api/v1/_bench/insert/`` (same storefront
   authentication, one row inserted) and prints orders/s, p50/p95 latency and the ratio of the two;
4. counts the database queries of one placement in-process (Django test client, same database and
   settings) for 1, 5 and 20-line orders, to show the count does not grow with the lines;
5. stops gunicorn, drops the database and purges the broker database.

Each line goes to a random product out of ``--products`` (default 200), so concurrent orders rarely
queue on the same stock row; ``--products 1`` measures the worst case, every order on one row.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

import redis  # noqa: E402
import requests  # noqa: E402
from benchdb import recreate_database  # noqa: E402

ORDER_BODY = {
    "customer": {"email": "", "name": "Bench Buyer", "phone": ""},
    "lines": [],
    "shipping_address": {
        "name": "Bench Buyer",
        "line1": "1 Main St",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
    },
    "shipping_method": "standard",
    "payment": {"method": "card", "token": "tok_ok"},
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=2000, help="requests per endpoint (default 2000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--lines", type=int, default=1, help="lines per order in the throughput run (default 1)")
    parser.add_argument("--products", type=int, default=200, help="products the lines are drawn from (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--max-seconds", type=float, default=30, help="stop a run after this long (default 30)")
    parser.add_argument("--database", default="oms_bench", help="database to create and drop (default oms_bench)")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server, without a database name"
    )
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14", help="Redis database for queued tasks")
    args = parser.parse_args()
    if not 0 < args.lines <= args.products:
        parser.error("--lines must be between 1 and --products")
    return args


# --- database and server -----------------------------------------------------------------------------


def configure_django(env: dict) -> None:
    """Point this process's Django at the bench database, with the server's settings."""
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = env["ALLOWED_HOSTS"] + ",testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def seed(*, products: int) -> str:
    """Products with plenty of stock (received through the ledger) and a storefront; returns its key."""
    from django.core.management import call_command

    from inventory.models import Product, StockItem, StockMovement, Warehouse
    from oms.authentication import storefront_create

    call_command("migrate", verbosity=0, interactive=False)
    warehouse = Warehouse.objects.create(code="MAIN", name="Main warehouse", priority=1)
    catalog = Product.objects.bulk_create(
        Product(sku=f"BENCH-{n:04d}", name=f"Bench product {n}", price="9.90", weight_kg="0.300")
        for n in range(products)
    )
    items = StockItem.objects.bulk_create(
        StockItem(product=p, warehouse=warehouse, on_hand=10_000_000, bin_location=f"A-{n:04d}")
        for n, p in enumerate(catalog)
    )
    StockMovement.objects.bulk_create(
        StockMovement(stock_item=i, kind=StockMovement.Kind.RECEIPT, on_hand_delta=i.on_hand, reason="bench seed")
        for i in items
    )
    _, key = storefront_create(name="bench")
    return key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(*, env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "oms.wsgi",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--error-logfile",
        str(log),
    ]
    return subprocess.Popen(
        command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_until_up(process: subprocess.Popen, *, port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            with _session() as session:
                if session.get(f"http://127.0.0.1:{port}/health/", timeout=5).status_code == 200:
                    return
        except requests.RequestException:
            pass  # not listening yet, or still importing the app
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- load ------------------------------------------------------------------------------------------


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # 127.0.0.1 only: never through a proxy from the environment
    return session


def order_body(n: int, *, lines: int, products: int) -> dict:
    body = {**ORDER_BODY, "customer": {**ORDER_BODY["customer"], "email": f"bench{n}@example.com"}}
    body["lines"] = [{"sku": f"BENCH-{p:04d}", "quantity": 1} for p in random.sample(range(products), lines)]
    return body


def run_load(*, url: str, key: str, body_for, total: int, clients: int, max_seconds: float) -> dict:
    """``total`` POSTs from ``clients`` threads (or fewer when ``max_seconds`` runs out); timings and errors."""
    headers = {"Authorization": f"Bearer {key}"}
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors: Counter = Counter()
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        nonlocal issued
        with _session() as session:
            while True:
                with lock:
                    if issued >= total or time.monotonic() > deadline:
                        return
                    issued += 1
                    n = issued
                body = body_for(n)
                started = time.perf_counter()
                try:
                    response = session.post(url, json=body, headers=headers, timeout=30)
                    status = response.status_code
                except requests.RequestException as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 201:
                        latencies.append(elapsed)
                    else:
                        errors[status] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "ok": len(latencies),
        "errors": dict(errors),
        "rate": len(latencies) / wall if wall else 0.0,
        "p50": _percentile(latencies, 50),
        "p95": _percentile(latencies, 95),
        "wall": wall,
    }


def _percentile(sorted_values: list[float], p: int) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


# --- queries per order -----------------------------------------------------------------------------


def queries_per_order(*, key: str, lines: int, products: int, repeat: int = 5) -> tuple[int, list[str]]:
    """Median number of queries of one placement (request, service and the relay after commit)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    counts = []
    statements: list[str] = []
    for n in range(repeat):
        body = order_body(10_000_000 + lines * 100 + n, lines=lines, products=products)
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/api/v1/orders/", body, content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"in-process placement failed: {response.status_code} {response.content[:500]!r}")
        counts.append(len(captured.captured_queries))
        statements = [q["sql"] for q in captured.captured_queries]
    return int(statistics.median(counts)), statements


def statement_summary(statements: list[str]) -> Counter:
    """Queries by kind and table, e.g. ``INSERT orders_orderline``: what to look at when the count grows."""
    summary: Counter = Counter()
    for sql in statements:
        verb = sql.split(None, 1)[0].upper()
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', sql)
        summary[f"{verb} {table.group(1) if table else ''}".strip()] += 1
    return summary


# --- main ------------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    port = free_port()
    env = {
        "DATABASE_URL": f"{args.server}/{args.database}",
        "CELERY_BROKER_URL": args.broker,
        "OMS_BENCH_ENDPOINTS": "1",
        "DEBUG": "0",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    workdir = Path(tempfile.mkdtemp(prefix="oms-bench-"))
    env["OMS_VAR_DIR"] = str(workdir)
    print(f"database {args.database}, gunicorn -w {args.workers} on 127.0.0.1:{port}, broker {args.broker}")
    recreate_database(args.server, args.database)
    gunicorn = None
    try:
        configure_django(env)
        # At least 20 products: the query count is measured for orders of up to 20 lines.
        seeded = max(args.products, 20)
        key = seed(products=seeded)
        gunicorn = start_gunicorn(env=env, port=port, workers=args.workers, log=workdir / "gunicorn.log")
        wait_until_up(gunicorn, port=port, log=workdir / "gunicorn.log")
        base = f"http://127.0.0.1:{port}/api/v1"
        runs = {}
        for name, path, body_for in (
            ("place order", "/orders/", lambda n: order_body(n, lines=args.lines, products=args.products)),
            ("one-row insert", "/_bench/insert/", lambda n: {"note": f"probe {n}"}),
        ):
            # Warm up: imports, persistent connections, the first storefront lookups.
            run_load(
                url=base + path,
                key=key,
                body_for=body_for,
                total=4 * args.clients,
                clients=args.clients,
                max_seconds=args.max_seconds,
            )
            runs[name] = run_load(
                url=base + path,
                key=key,
                body_for=body_for,
                total=args.orders,
                clients=args.clients,
                max_seconds=args.max_seconds,
            )
        stop(gunicorn)
        gunicorn = None
        queries = {n: queries_per_order(key=key, lines=n, products=seeded) for n in (1, 5, 20)}
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up when an early step failed
            pass
        recreate_database(args.server, args.database, drop_only=True)
        redis.Redis.from_url(args.broker).flushdb()

    place, insert = runs["place order"], runs["one-row insert"]
    print()
    print(f"{args.clients} clients, {args.lines} line(s) per order, {args.workers} gunicorn workers")
    print(f"{'endpoint':<16} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, run in runs.items():
        print(
            f"{name:<16} {run['ok']:>9} {sum(run['errors'].values()):>7} {run['rate']:>8.0f} "
            f"{run['p50'] * 1000:>8.1f} {run['p95'] * 1000:>8.1f}"
        )
    print(f"placement / insert throughput: {place['rate'] / insert['rate']:.2f}")
    for name, run in runs.items():
        if run["errors"]:
            print(f"  {name} errors: {run['errors']}; gunicorn's log: {workdir / 'gunicorn.log'}")
    if not any(run["errors"] for run in runs.values()):
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(f"{'lines per order':<16} {'queries':>8}")
    for lines, (count, _) in queries.items():
        print(f"{lines:<16} {count:>8}")
    if queries[20][0] > queries[1][0]:
        grown = statement_summary(queries[20][1]) - statement_summary(queries[1][1])
        print("queries per order grow with the lines:", ", ".join(f"{k} +{v}" for k, v in grown.most_common()))
    else:
        print("queries per order do not grow with the number of lines")


if __name__ == "__main__":
    main()
