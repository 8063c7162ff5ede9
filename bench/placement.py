"""Order placement benchmark: orders/s and latency through the real HTTP stack, against a one-row insert.

Run from the project folder, with PostgreSQL and Redis up (``bin/services-up``)::

    .venv/bin/python bench/placement.py                      # wrk -t2 -c8 -d20s per endpoint, 3-line orders
    .venv/bin/python bench/placement.py -t 2 -c 16 -d 60 --lines 5 --workers 4

What it does:

1. creates a fresh PostgreSQL database (``--database``, default ``oms_bench``; dropped first if it exists),
   migrates it and seeds ``--products`` products with plenty of stock and a storefront key;
2. starts gunicorn (``--workers`` sync workers, default 2) on a free port on 127.0.0.1, production-shaped:
   DEBUG=0, persistent connections, Redis broker and cache (``--broker``, default db 14; no worker consumes
   it, it is emptied afterwards), static files collected, ``OMS_BENCH_ENDPOINTS=1`` for the baseline;
3. drives ``POST /api/v1/orders/`` (``--lines`` lines, default 3, paid by card) and then
   ``POST /api/v1/_bench/insert/`` (same storefront authentication, one row inserted) with wrk
   (``-t`` threads, ``-c`` connections, ``-d`` seconds each, after a short warm-up). wrk runs the Lua script
   bench/orders.lua: every request a new Idempotency-Key, a customer out of 2,000 and different SKUs;
4. prints req/s, p50/p90/p99 latency and the non-2xx answers of both, and the ratio placement / insert;
5. counts the database queries of one placement in-process (Django test client, same database and
   settings, CaptureQueriesContext) for 1, 5 and 20-line orders, to show the count does not grow with lines;
6. stops gunicorn, drops the database and empties the broker database.

wrk is a C program (Debian package ``wrk``, installed when missing): it drives 700+ requests a second from
one core, where Python client threads on the same two cores took the server's CPU (the one-row insert
measured 226 req/s with them, 737 with wrk).
"""

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redis  # noqa: E402
from benchdb import recreate_database  # noqa: E402
from stack import (  # noqa: E402
    CpuMeter,
    collectstatic_if_needed,
    configure_django,
    database_backends,
    free_port,
    seed,
    server_env,
    start_gunicorn,
    stop,
)
from wrk import WrkResult, ensure_wrk, run_wrk, warm_up  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-t", "--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "-c", "--connections", "--clients", type=int, default=8, help="open connections in all (default 8)"
    )
    parser.add_argument(
        "-d", "--duration", "--max-seconds", type=float, default=20, help="seconds per endpoint (default 20)"
    )
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per endpoint, at least (default 3)")
    parser.add_argument("--lines", type=int, default=3, help="lines per order in the throughput run (default 3)")
    parser.add_argument("--products", type=int, default=200, help="products the lines are drawn from (default 200)")
    parser.add_argument("--customers", type=int, default=2000, help="customers the orders are drawn from (2000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--database", default="oms_bench", help="database to create and drop (default oms_bench)")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server, without a database name"
    )
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14", help="Redis database for queued tasks")
    args = parser.parse_args(argv)
    if not 0 < args.lines <= args.products:
        parser.error("--lines must be between 1 and --products")
    return args


# --- queries per order -----------------------------------------------------------------------------


def order_body(n: int, *, lines: int, products: int) -> dict:
    return {
        "customer": {"email": f"q{n}@bench.example", "name": "Bench Buyer", "phone": ""},
        "lines": [{"sku": f"BENCH-{p:04d}", "quantity": 1} for p in range(lines)],
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


def queries_per_order(*, key: str, lines: int, products: int, repeat: int = 5) -> tuple[int, list[str]]:
    """Median number of queries of one placement (request, service and the relay after commit), with an
    Idempotency-Key as wrk sends."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    counts = []
    statements: list[str] = []
    for n in range(repeat):
        body = order_body(lines * 100 + n, lines=lines, products=products)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/v1/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"count-{lines}-{n}"
            )
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


def print_runs(runs: dict[str, WrkResult]) -> None:
    print(f"{'endpoint':<24} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, run in runs.items():
        lat = run.latency_ms
        print(
            f"{name:<24} {run.requests:>9} {run.rate:>8.0f} {lat['p50']:>8.1f} {lat['p90']:>8.1f} "
            f"{lat['p99']:>8.1f} {run.failed:>8}"
        )
    for name, run in runs.items():
        if run.failed:
            print(f"  {name}: non-2xx {run.non_2xx}, socket errors {run.socket_errors}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    ensure_wrk()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="oms-bench-"))
    env = server_env(database_url=f"{args.server}/{args.database}", broker=args.broker, workdir=workdir)
    print(f"database {args.database}, gunicorn -w {args.workers} on 127.0.0.1:{port}, broker {args.broker}")
    recreate_database(args.server, args.database)
    gunicorn = None
    failed = False
    try:
        configure_django(env)
        seeded = max(args.products, 20)  # the query count is measured for orders of up to 20 lines
        key = seed(products=seeded)
        collectstatic_if_needed(env)
        gunicorn = start_gunicorn(env=env, port=port, workers=args.workers, log=workdir / "gunicorn.log")
        base = f"http://127.0.0.1:{port}/api/v1"
        endpoints = {
            f"place order ({args.lines} lines)": ("/orders/", "order"),
            "one-row insert": ("/_bench/insert/", "insert"),
        }
        runs, cpu = {}, {}
        meter = CpuMeter({"web": lambda: [gunicorn.pid], "database": lambda: database_backends(args.database)})
        for name, (path, mode) in endpoints.items():
            script = {"mode": mode, "key": key, "lines": args.lines, "products": args.products}
            script["customers"] = args.customers
            wrk = {"threads": args.threads, "connections": args.connections}
            warm = {**script, "tag": f"warm-{mode}"}
            warm_up(base + path, script_args=warm, requests=5 * args.workers, seconds=args.warmup, **wrk)
            meter.start()
            runs[name] = run_wrk(base + path, seconds=args.duration, script_args={**script, "tag": mode}, **wrk)
            cpu[name] = meter.stop()
        stop(gunicorn)
        gunicorn = None
        queries = {n: queries_per_order(key=key, lines=n, products=seeded) for n in (1, 5, 20)}
    finally:
        stop(gunicorn)
        try:
            from django.db import connections

            from oms.outbox import marks

            marks.flush()  # the in-process count's messages, marked before their database goes
            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up when an early step failed
            pass
        recreate_database(args.server, args.database, drop_only=True)
        redis.Redis.from_url(args.broker).flushdb()

    place, insert = runs.values()
    print()
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration:.0f}s per endpoint, "
        f"{args.workers} gunicorn sync workers, {args.lines} lines per order (card)"
    )
    print_runs(runs)
    print(f"placement / insert throughput: {place.rate / insert.rate:.2f}")
    print()
    print("CPU time per request (gunicorn workers; PostgreSQL backends of the bench database):")
    for name, run in runs.items():
        per = {group: seconds * 1000 / max(1, run.requests) for group, seconds in cpu[name].items()}
        web, database = per["web"], max(per["database"], 0.01)
        print(
            f"  {name:<24} web {web:5.1f} ms, database {database:5.1f} ms"
            f"  -> one core: ~{1000 / web:.0f} req/s of web work, ~{1000 / database:.0f} of database work"
        )
    failed = any(run.failed for run in runs.values())
    if failed:
        print(f"gunicorn's log: {workdir / 'gunicorn.log'}")
    else:
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
