"""End-to-end benchmark: orders placed at a fixed rate through the API and carried to ``confirmed`` by real
Celery workers over Redis; the placed→confirmed latency and the highest rate the workers keep up with.

Run from the project folder, with PostgreSQL and Redis up (``bin/services-up``)::

    .venv/bin/python bench/pipeline.py                        # 15 s steps from 1/5 of the placement rate
    .venv/bin/python bench/pipeline.py --start-rate 20 --factor 1.25 --step-seconds 30 --concurrency 1

What it does:

1. creates a fresh PostgreSQL database (``--database``, default ``oms_bench_pipe``), seeds products and a
   storefront key, and starts gunicorn (``--workers`` sync workers) as bench/placement.py does;
2. placement only: wrk unpaced (-t2 -c8) for ``--placement-seconds`` with no worker running. That is the
   rate the web tier takes orders at; the queued work is then thrown away;
3. starts one Celery worker per queue group, each with ``--concurrency`` processes, as production runs
   them: ``payments``; ``notifications``; ``carriers``; ``default,orders,inventory``;
4. steps: places orders (3 lines, card) at a fixed rate with wrk, paced like wrk2 by the Lua ``delay``
   hook, for ``--step-seconds``, sampling the Redis queues twice a second; then waits for the step's
   orders to be confirmed. Each step's orders carry a tag in their notes, so its latencies come from the
   orders' timelines: ``placed_at`` → the ``confirmed`` event's ``at`` (p50/p95/max);
5. a step is *sustained* when wrk achieved at least 90% of the asked rate with no error, the backlog in
   Redis (waiting + taken, not yet acknowledged) at the end of the step is within 2 seconds' worth of
   orders and not growing, and the orders not yet confirmed when placing stops are within 2 seconds' worth.
   The rate grows by ``--factor`` until a step is not sustained; then ``--refine`` steps bisect between the
   last sustained rate and the first failed one;
6. prints every step, the highest sustained rate beside the placement-only rate, then stops everything,
   drops the database and empties the Redis database (``--broker``, default db 13).

Everything shares this machine's cores: the web workers, the Celery workers, PostgreSQL, Redis and wrk.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redis  # noqa: E402
from benchdb import recreate_database  # noqa: E402
from stack import (  # noqa: E402
    CpuMeter,
    backlog,
    collectstatic_if_needed,
    configure_django,
    database_backends,
    database_bytes,
    free_port,
    percentile,
    seed,
    server_env,
    start_gunicorn,
    start_worker,
    stop,
    wait_for_workers,
)
from wrk import WrkResult, ensure_wrk, run_wrk, warm_up  # noqa: E402

WORKER_GROUPS = {
    "payments": ["payments"],
    "notifications": ["notifications"],
    "carriers": ["carriers"],
    "default": ["default", "orders", "inventory"],
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--start-rate", type=float, help="orders/s of the first step (default: a fifth of the placement-only rate)"
    )
    parser.add_argument("--factor", type=float, default=1.5, help="rate growth per step (default 1.5)")
    parser.add_argument("--max-rate", type=float, default=1000, help="stop growing at this rate (default 1000)")
    parser.add_argument("--refine", type=int, default=2, help="bisection steps after the first failure (default 2)")
    parser.add_argument("--step-seconds", type=float, default=15, help="seconds of placing per step (default 15)")
    parser.add_argument("--drain-seconds", type=float, default=60, help="longest wait for a step's orders (60)")
    parser.add_argument("--placement-seconds", type=float, default=10, help="placement-only run (default 10)")
    parser.add_argument("-t", "--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("-c", "--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--lines", type=int, default=3, help="lines per order (default 3)")
    parser.add_argument("--products", type=int, default=200, help="products the lines are drawn from (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--concurrency", type=int, default=2, help="processes per Celery worker (default 2)")
    parser.add_argument("--database", default="oms_bench_pipe", help="database to create and drop")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server, without a database name"
    )
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13", help="Redis database for queued tasks")
    return parser.parse_args(argv)


@dataclass
class Step:
    rate: float
    wrk: WrkResult
    placed: int
    unconfirmed_at_end: int
    backlog_samples: list[tuple[float, int]]
    latencies: list[float]
    drained_after: float | None
    cpu: dict[str, float]
    commits: int
    messages: int

    def cpu_ms_per_order(self, group: str) -> float:
        if group == "workers":
            seconds = sum(v for k, v in self.cpu.items() if k.startswith("celery "))
        else:
            seconds = self.cpu.get(group, 0.0)
        return seconds * 1000 / max(1, self.placed)

    @property
    def backlog_end(self) -> int:
        return self.backlog_samples[-1][1] if self.backlog_samples else 0

    @property
    def backlog_growing(self) -> bool:
        """The backlog's last third stands higher than its first third by more than a second of orders."""
        values = [v for _, v in self.backlog_samples]
        if len(values) < 6:
            return False
        third = len(values) // 3
        first, last = values[:third], values[-third:]
        return sum(last) / len(last) - sum(first) / len(first) > self.rate

    @property
    def sustained(self) -> bool:
        allowance = max(5, 2 * self.rate)
        return (
            self.wrk.ok_rate >= 0.9 * self.rate
            and self.wrk.failed == 0
            and self.backlog_end <= allowance
            and not self.backlog_growing
            and self.unconfirmed_at_end <= allowance
            and self.drained_after is not None
        )


def step_counts(tag: str) -> tuple[int, int]:
    """(orders placed with this tag, of which confirmed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*), count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM orders_orderevent e WHERE e.order_id = o.id AND e.to_status = 'confirmed'))
               FROM orders_order o WHERE o.notes = %s""",
            [tag],
        )
        return cursor.fetchone()


def commits(database: str) -> int:
    """Transactions committed in ``database`` so far (pg_stat_database)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [database])
        return cursor.fetchone()[0]


def step_messages(tag: str) -> int:
    """Outbox messages (tasks handed to Celery) written for the tag's orders."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM oms_outboxmessage m JOIN orders_order o ON o.id = (m.kwargs->>'order_id')::bigint
               WHERE o.notes = %s""",
            [tag],
        )
        return cursor.fetchone()[0]


def step_latencies(tag: str) -> list[float]:
    """Seconds from placed_at to the confirm event's ``at``, for the tag's confirmed orders."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT EXTRACT(EPOCH FROM min(e.at) - o.placed_at)
               FROM orders_order o JOIN orders_orderevent e ON e.order_id = o.id AND e.to_status = 'confirmed'
               WHERE o.notes = %s GROUP BY o.id, o.placed_at""",
            [tag],
        )
        return [float(row[0]) for row in cursor.fetchall()]


def run_step(n: int, rate: float, *, url: str, key: str, args, broker: redis.Redis, meter: CpuMeter) -> Step:
    tag = f"pipeline-step-{n}"
    meter.start()
    commits_before = commits(args.database)
    samples: list[tuple[float, int]] = []
    done = threading.Event()
    started = time.monotonic()

    def sample() -> None:
        while not done.wait(0.5):
            waiting, taken = backlog(broker)
            samples.append((time.monotonic() - started, waiting + taken))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = run_wrk(
            url,
            threads=args.threads,
            connections=args.connections,
            seconds=args.step_seconds,
            rate=rate,
            script_args={"mode": "order", "key": key, "lines": args.lines, "products": args.products, "tag": tag},
        )
    finally:
        done.set()
        sampler.join()
    placed, confirmed = step_counts(tag)
    unconfirmed_at_end = placed - confirmed
    drain_started = time.monotonic()
    drained_after = None
    while time.monotonic() - drain_started < args.drain_seconds:
        placed, confirmed = step_counts(tag)
        waiting, taken = backlog(broker)
        if confirmed >= placed and waiting + taken == 0:
            drained_after = time.monotonic() - drain_started
            break
        time.sleep(0.25)
    cpu = meter.stop()
    committed = commits(args.database) - commits_before
    return Step(
        rate=rate,
        wrk=result,
        placed=placed,
        unconfirmed_at_end=unconfirmed_at_end,
        backlog_samples=samples,
        latencies=step_latencies(tag),
        drained_after=drained_after,
        cpu=cpu,
        commits=committed,
        messages=step_messages(tag),
    )


def print_step(step: Step) -> None:
    lat = step.latencies
    drained = f"{step.drained_after:.1f}" if step.drained_after is not None else "no"
    print(
        f"{step.rate:>8.1f} {step.wrk.ok_rate:>9.1f} {step.wrk.failed:>7} {step.placed:>7} "
        f"{percentile(lat, 50) * 1000:>8.0f} {percentile(lat, 95) * 1000:>8.0f} {max(lat or [0]) * 1000:>8.0f} "
        f"{max((v for _, v in step.backlog_samples), default=0):>8} {step.backlog_end:>8} "
        f"{step.unconfirmed_at_end:>8} {drained:>7} "
        f"{step.cpu_ms_per_order('web'):>5.1f} {step.cpu_ms_per_order('workers'):>5.1f} "
        f"{step.cpu_ms_per_order('database'):>5.1f}  {'yes' if step.sustained else 'NO'}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    ensure_wrk()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="oms-bench-pipe-"))
    env = server_env(database_url=f"{args.server}/{args.database}", broker=args.broker, workdir=workdir)
    broker = redis.Redis.from_url(args.broker)
    broker.flushdb()
    print(f"database {args.database}, gunicorn -w {args.workers} on 127.0.0.1:{port}, broker {args.broker}")
    recreate_database(args.server, args.database)
    gunicorn = None
    workers: list[subprocess.Popen] = []
    steps: list[Step] = []
    failed_at = None
    try:
        configure_django(env)
        key = seed(products=args.products)
        collectstatic_if_needed(env)
        gunicorn = start_gunicorn(env=env, port=port, workers=args.workers, log=workdir / "gunicorn.log")
        url = f"http://127.0.0.1:{port}/api/v1/orders/"
        script = {"mode": "order", "key": key, "lines": args.lines, "products": args.products}
        wrk = {"threads": args.threads, "connections": args.connections}
        warm_up(url, script_args={**script, "tag": "warm-up"}, requests=5 * args.workers, seconds=3, **wrk)
        placement = run_wrk(url, seconds=args.placement_seconds, script_args={**script, "tag": "placement"}, **wrk)
        print(
            f"placement only (no workers, wrk -t{args.threads} -c{args.connections} unpaced): "
            f"{placement.ok_rate:.0f} orders/s, p50 {placement.latency_ms['p50']:.0f} ms, "
            f"p99 {placement.latency_ms['p99']:.0f} ms, non-2xx {placement.failed}",
            flush=True,
        )
        broker.flushdb()  # the placement-only run's queued work: nobody will wait for it

        for name, queues in WORKER_GROUPS.items():
            log = workdir / f"worker-{name}.log"
            workers.append(start_worker(env=env, name=name, queues=queues, concurrency=args.concurrency, log=log))
        wait_for_workers(list(WORKER_GROUPS), workers)
        groups = {"web": lambda: [gunicorn.pid], "database": lambda: database_backends(args.database)}
        for name, worker in zip(WORKER_GROUPS, workers, strict=True):
            groups[f"celery {name}"] = lambda worker=worker: [worker.pid]
        meter = CpuMeter(groups)
        print(
            f"Celery workers: {', '.join('+'.join(q) for q in WORKER_GROUPS.values())}, "
            f"{args.concurrency} processes each; {args.step_seconds:.0f} s per step, {args.lines} lines per order"
        )
        print()
        print(
            f"{'rate':>8} {'achieved':>9} {'errors':>7} {'placed':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
            f"{'backlog':>8} {'at end':>8} {'unconf.':>8} {'drain s':>7} {'web':>5} {'cel':>5} {'db':>5}  sustained"
        )
        size_before = database_bytes()
        rate = min(args.max_rate, args.start_rate or max(1.0, round(placement.ok_rate / 5, 1)))
        while True:
            step = run_step(len(steps) + 1, rate, url=url, key=key, args=args, broker=broker, meter=meter)
            steps.append(step)
            print_step(step)
            if not step.sustained:
                failed_at = rate
                break
            if rate >= args.max_rate:
                break
            rate = min(args.max_rate, rate * args.factor)
        if failed_at is not None:
            low = max((s.rate for s in steps if s.sustained), default=0.0)
            high = failed_at
            for _ in range(args.refine):
                if low == 0:
                    break
                middle = (low + high) / 2
                step = run_step(len(steps) + 1, middle, url=url, key=key, args=args, broker=broker, meter=meter)
                steps.append(step)
                print_step(step)
                low, high = (middle, high) if step.sustained else (low, middle)
        size_after = database_bytes()
    finally:
        for worker in workers:
            stop(worker, timeout=30)
        stop(gunicorn)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up when an early step failed
            pass
        recreate_database(args.server, args.database, drop_only=True)
        broker.flushdb()

    sustained = [s for s in steps if s.sustained]
    best = max(sustained, key=lambda s: s.rate, default=None)
    print()
    print("rate: asked orders/s; achieved: 2xx/s; p50/p95/max: placed → confirmed; backlog: most messages in")
    print("Redis (waiting + taken) during the step, and at its end; unconf.: orders not confirmed when placing")
    print("stopped; drain s: until every order of the step was confirmed and the queues were empty; web, cel,")
    print("db: CPU ms per order of gunicorn, the Celery workers and the database backends over the step.")
    print()
    print(f"placement only (web tier, no workers): {placement.ok_rate:.0f} orders/s")
    if best is None:
        print(f"end to end: not sustained even at {steps[0].rate:g} orders/s; try a lower --start-rate")
    else:
        print(
            f"end to end, highest sustained: {best.rate:.0f} orders/s placed and confirmed "
            f"(placed→confirmed p50 {percentile(best.latencies, 50) * 1000:.0f} ms, "
            f"p95 {percentile(best.latencies, 95) * 1000:.0f} ms)"
        )
        web, work, database = (best.cpu_ms_per_order(g) for g in ("web", "workers", "database"))
        print(
            f"  CPU per order: web {web:.1f} ms, Celery workers {work:.1f} ms, database {database:.1f} ms "
            f"= {web + work + database:.1f} ms: ~{1000 / (web + work + database):.0f} orders/s per core end to end"
        )
        split = ", ".join(f"{name} {best.cpu_ms_per_order(f'celery {name}'):.1f}" for name in WORKER_GROUPS)
        print(f"  Celery CPU per order by worker (ms): {split}")
        print(
            f"  per order: {best.commits / max(1, best.placed):.1f} database transactions (pg_stat_database, "
            f"read-only statements outside a transaction count too), {best.messages / max(1, best.placed):.1f} "
            "tasks through the outbox"
        )
    placed_in_steps = sum(s.placed for s in steps)
    if steps and placed_in_steps:
        print(
            f"database growth: {(size_after - size_before) / placed_in_steps / 1024:.1f} kB per order "
            f"placed and confirmed ({placed_in_steps} orders in the steps)"
        )
        if failed_at is None:
            print(f"  (every step was sustained, up to --max-rate {args.max_rate:g}: the limit is higher)")
    if any(s.wrk.failed for s in steps) or placement.failed:
        print(f"some requests failed; gunicorn's and the workers' logs: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
