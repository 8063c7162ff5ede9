"""The production-shaped stack a benchmark starts on this machine: its own database, gunicorn, Celery workers.

Shared by bench/placement.py and bench/pipeline.py. Everything runs on 127.0.0.1 with the settings a
production process reads (DEBUG=0, persistent connections, Redis broker and cache), except the HTTPS
redirect (plain http here) and the storefront rate limit (one storefront sends hundreds of orders a second).
"""

import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

BIN = Path(sys.executable).parent
# Every queue the app routes to (oms/celery.py), read by the backlog probes.
QUEUES = ("default", "orders", "payments", "notifications", "inventory", "carriers")


def server_env(*, database_url: str, broker: str, workdir: Path) -> dict[str, str]:
    """The environment of the web and worker processes (and of this process, for seeding and counting)."""
    return {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": broker,
        "OMS_BENCH_ENDPOINTS": "1",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEMO_CARRIER_WEBHOOK_SECRET": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "OMS_STOREFRONT_RATE": "",
        "LOG_LEVEL": "WARNING",
        "OMS_VAR_DIR": str(workdir),
    }


def configure_django(env: dict[str, str]) -> None:
    """Point this process's Django at the bench database, with the server's settings."""
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = env["ALLOWED_HOSTS"] + ",testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def seed(*, products: int) -> str:
    """Migrate; products with plenty of stock (received through the ledger) and a storefront; its key."""
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
        StockItem(product=p, warehouse=warehouse, on_hand=100_000_000, bin_location=f"A-{n:04d}")
        for n, p in enumerate(catalog)
    )
    StockMovement.objects.bulk_create(
        StockMovement(stock_item=i, kind=StockMovement.Kind.RECEIPT, on_hand_delta=i.on_hand, reason="bench seed")
        for i in items
    )
    _, key = storefront_create(name="bench")
    _velocity_screening_off()
    return key


def _velocity_screening_off() -> None:
    """The load is one test card token and a few thousand emails at hundreds of orders a second: exactly what
    fraud screening's velocity rules hold for review. They are switched off; the other rules still run."""
    from orders.models import RiskRule
    from orders.services.risk import DEFAULT_RULES

    for code in ("email_velocity", "card_velocity"):
        RiskRule.objects.update_or_create(
            code=code, defaults={"is_active": False, "weight": DEFAULT_RULES[code].weight}
        )


def collectstatic_if_needed(env: dict[str, str]) -> None:
    """With DEBUG=0 pages need the static manifest, as in the image; build it when missing or older than a file."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    sources = [p for p in (BASE_DIR / "static").rglob("*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return
    print("collectstatic (DEBUG=0 serves hashed static files from staticfiles/)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        check=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(*, env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    """gunicorn with ``workers`` sync workers, as in the image; waits until /health/ answers."""
    command = [str(BIN / "gunicorn"), "oms.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--error-logfile", str(log)]
    process = subprocess.Popen(
        command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except (OSError, urllib.error.URLError):
            pass  # not listening yet, or still importing the app
        time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def start_worker(*, env: dict[str, str], name: str, queues: list[str], concurrency: int, log: Path) -> subprocess.Popen:
    """One Celery worker (prefork) consuming ``queues``, named ``name@bench``."""
    command = [str(BIN / "celery"), "-A", "oms", "worker", "-n", f"{name}@bench", "-Q", ",".join(queues)]
    command += ["-c", str(concurrency), "-l", "WARNING", "--logfile", str(log)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_for_workers(names: list[str], processes: list[subprocess.Popen], *, timeout: float = 60) -> None:
    """Until every worker answers a ping (it consumes its queues from then on)."""
    from oms.celery import app

    wanted = {f"{name}@bench" for name in names}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise SystemExit("a Celery worker exited; see its log in the bench's work folder")
        answered = {host for reply in app.control.ping(timeout=1.0) for host in reply}
        if wanted <= answered:
            return
    raise SystemExit(f"Celery workers did not answer within {timeout:.0f} s: {sorted(wanted)}")


def stop(process: subprocess.Popen | None, *, timeout: float = 20) -> None:
    """SIGTERM (gunicorn and Celery finish what they are doing), then SIGKILL after ``timeout``."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def backlog(client) -> tuple[int, int]:
    """(messages waiting in the Redis queues, messages taken but not yet acknowledged)."""
    # kombu keeps one list per queue and priority step; messages without a priority are in the plain one.
    keys = [key for queue in QUEUES for key in (queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9)))]
    pipe = client.pipeline()
    for key in keys:
        pipe.llen(key)
    pipe.hlen("unacked")
    *lengths, unacked = pipe.execute()
    return sum(lengths), unacked


# --- CPU time: what an order costs the web tier, the workers and the database, whatever else runs -----------

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_by_pid() -> tuple[dict[int, float], dict[int, list[int]]]:
    """(CPU seconds of every process, children of every process), from /proc (Linux)."""
    cpu: dict[int, float] = {}
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        pid = int(entry)
        cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime
        children.setdefault(int(fields[1]), []).append(pid)
    return cpu, children


class CpuMeter:
    """CPU seconds used between ``start()`` and ``stop()`` by groups of processes and their descendants.

    ``groups`` maps a name to a function giving the group's process ids at that moment (gunicorn's master,
    the Celery workers, the database's backends): a process that starts in between counts from zero.
    """

    def __init__(self, groups: dict[str, object]):
        self.groups = groups
        self.before: dict[str, dict[int, float]] = {}

    def _snapshot(self) -> dict[str, dict[int, float]]:
        cpu, children = _cpu_by_pid()
        result = {}
        for name, pids in self.groups.items():
            seen: dict[int, float] = {}
            todo = list(pids())
            while todo:
                pid = todo.pop()
                if pid in cpu and pid not in seen:
                    seen[pid] = cpu[pid]
                    todo.extend(children.get(pid, []))
            result[name] = seen
        return result

    def start(self) -> None:
        self.before = self._snapshot()

    def stop(self) -> dict[str, float]:
        after = self._snapshot()
        return {
            name: sum(max(0.0, seconds - self.before.get(name, {}).get(pid, 0.0)) for pid, seconds in pids.items())
            for name, pids in after.items()
        }


def database_backends(database: str) -> list[int]:
    """The server processes of the connections to ``database`` (other than this process's own)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database])
        return [row[0] for row in cursor.fetchall()]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of ``values`` (NaN for none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def database_bytes() -> int:
    """The size of the current (benchmark) database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]
