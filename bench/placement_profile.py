"""Order placement in-process: milliseconds per placement, the statements it runs and where Python spends its time.

Run from the project folder, with PostgreSQL and Redis up::

    .venv/bin/python bench/placement_profile.py                  # 300 placements of 3 lines, timing + queries
    .venv/bin/python bench/placement_profile.py --profile 30     # and cProfile's top functions (cumulative)

It creates a fresh database (``--database``, default ``oms_profile``), seeds it as bench/placement.py does
(with one webhook subscription of the storefront, so webhook events are made as in production), places
orders through Django's test client (``POST /api/v1/orders/`` with an ``Idempotency-Key``, the server's
settings: DEBUG=0, a Redis broker so tasks are queued, not run in-process) and drops the database again.
The figures are the median of five rounds' mean time per placement (wall time, with the database round trips,
comparable from run to run on a quiet machine) and of this process's CPU time per placement (the Python side).
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redis  # noqa: E402
from benchdb import recreate_database  # noqa: E402
from placement import order_body, statement_summary  # noqa: E402
from stack import configure_django, seed, server_env  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--orders", type=int, default=300, help="placements timed (default 300)")
    parser.add_argument("--lines", type=int, default=3, help="lines per order (default 3)")
    parser.add_argument("--profile", type=int, default=0, help="show cProfile's top N functions (default: none)")
    parser.add_argument("--database", default="oms_profile", help="database to create and drop")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14", help="Redis database for queued tasks")
    parser.add_argument("--sql", action="store_true", help="print every statement of one placement")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    env = server_env(
        database_url=f"{args.server}/{args.database}", broker=args.broker, workdir=Path(tempfile.mkdtemp())
    )
    recreate_database(args.server, args.database)
    try:
        configure_django(env)
        key = seed(products=max(50, args.lines))
        _subscribe()
        _run(args, key)
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(args.server, args.database, drop_only=True)
        redis.Redis.from_url(args.broker).flushdb()


def _subscribe() -> None:
    from oms.models import Storefront
    from webhooks.models import WebhookSubscription

    storefront = Storefront.objects.get()
    WebhookSubscription.objects.create(
        storefront=storefront, url="https://hooks.example.com/oms", events=["order.created", "order.confirmed"]
    )


def _run(args, key: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    counter = iter(range(10**9))

    def place() -> None:
        n = next(counter)
        body = order_body(n % 500, lines=args.lines, products=50)
        body["lines"] = [{"sku": f"BENCH-{(n + p) % 50:04d}", "quantity": 1} for p in range(args.lines)]
        response = client.post(
            "/api/v1/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"profile-{n}"
        )
        if response.status_code != 201:
            raise SystemExit(f"placement failed: {response.status_code} {response.content[:500]!r}")

    for _ in range(20):  # warm-up: imports, caches, connection
        place()
    for lines in (1, 5, 20):
        saved, args.lines = args.lines, lines
        with CaptureQueriesContext(connection) as captured:
            place()
        args.lines = saved
        print(f"queries, {lines:>2} lines: {len(captured.captured_queries)}")
    with CaptureQueriesContext(connection) as captured:
        place()
    print("by kind:", ", ".join(f"{k} {v}" for k, v in sorted(statement_summary(q["sql"] for q in captured).items())))
    if args.sql:
        for n, query in enumerate(captured.captured_queries, 1):
            print(f"{n:>3} {query['sql'][:300]}")

    rounds, cpu = [], []
    per_round = max(1, args.orders // 5)
    for _ in range(5):
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(per_round):
            place()
        rounds.append((time.perf_counter() - started) * 1000 / per_round)
        cpu.append((time.process_time() - cpu_started) * 1000 / per_round)
    listed = ", ".join(f"{r:.1f}" for r in rounds)
    print(f"ms per placement ({args.lines} lines): {statistics.median(rounds):.2f} (rounds {listed})")
    # This process's CPU time: the Python side of a placement, less sensitive than the wall time to a busy machine.
    print(f"CPU ms per placement (this process): {statistics.median(cpu):.2f}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(per_round):
            place()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
