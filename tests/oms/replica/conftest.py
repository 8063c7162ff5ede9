"""A real streaming replica for the router tests: the local PostgreSQL's, made by bin/replica-up (port 5433).

The replica is a physical copy of the whole primary cluster, so it holds the test database too, a moment
after the primary. The tests pause its WAL replay: a row committed on the primary after that is missing on
the replica, which shows where a read went. One test at a time uses the replica (an advisory lock on the
primary), because pausing replay pauses it for every database.
"""

import subprocess
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[3]
REPLICA_PORT = "5433"
LOCK_KEY = 62_605_433  # pg_advisory_lock key, in the primary's "postgres" database


def _primary_dsn() -> dict:
    default = connections.settings["default"]
    return {
        "host": default["HOST"] or "127.0.0.1",
        "port": default["PORT"] or "5432",
        "user": default["USER"],
        "password": default["PASSWORD"],
    }


@pytest.fixture(scope="session")
def replica_server():
    """The local replica on 127.0.0.1:5433, started by bin/replica-up; the test is skipped if it cannot be."""
    default = connections.settings["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("read-replica tests need PostgreSQL (DATABASE_URL=postgres://...)")
    if (default["HOST"] or "127.0.0.1") not in ("127.0.0.1", "localhost") or str(default["PORT"] or 5432) != "5432":
        pytest.skip("read-replica tests make a replica of the PostgreSQL on 127.0.0.1:5432 only")
    try:
        done = subprocess.run([ROOT / "bin" / "replica-up"], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"bin/replica-up could not make the streaming replica: {exc}")
    if done.returncode != 0:
        pytest.skip(f"bin/replica-up could not make the streaming replica: {(done.stderr or done.stdout).strip()}")


def _replayed_everything_until_now(timeout: float = 30) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return
        except Exception:  # noqa: BLE001 - the test database may not have reached the replica yet
            connections["replica"].close()
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica did not replay the primary's WAL up to {lsn} within {timeout:.0f} s")
        time.sleep(0.1)


def _replay(paused: bool) -> None:
    with connections["replica"].cursor() as cursor:
        if paused:
            cursor.execute("SELECT pg_wal_replay_pause()")
            for _ in range(100):
                cursor.execute("SELECT pg_get_wal_replay_pause_state()")
                if cursor.fetchone()[0] == "paused":
                    return
                time.sleep(0.05)
            raise AssertionError("the replica did not pause its WAL replay")
        cursor.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture
def replica_to_myself(replica_server):
    """No other test (in another xdist worker) uses the replica until this one ends."""
    lock = psycopg2.connect(dbname="postgres", **_primary_dsn())
    lock.autocommit = True
    try:
        with lock.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        yield
    finally:
        lock.close()


@pytest.fixture(scope="module")
def replica_alias(replica_server, django_db_setup):
    """The ``replica`` database alias on the local replica (the test database there), for a module's tests.

    Module-scoped, so it exists before a test's database fixture checks the test's ``databases``. A mirror
    of ``default`` for the test machinery: it never creates, flushes or migrates it.
    """
    default = connections.settings["default"]
    earlier = connections.settings.get("replica")
    connections.settings["replica"] = {
        **default,
        "HOST": "127.0.0.1",
        "PORT": REPLICA_PORT,
        "TEST": {**default["TEST"], "MIRROR": "default"},
    }
    yield
    connections["replica"].close()
    del connections["replica"]
    if earlier is None:
        del connections.settings["replica"]
    else:
        connections.settings["replica"] = earlier


@pytest.fixture
def replica(replica_alias, replica_to_myself, transactional_db, settings):
    """The router and the middleware switched on, as ``DATABASE_REPLICA_URL`` does; the replica has replayed
    everything the primary committed so far, then stops replaying until the test ends."""
    from oms.db_router import primary_window, replica_health_forget

    replica_health_forget()
    settings.DATABASE_ROUTERS = ["oms.db_router.PrimaryReplicaRouter"]
    settings.MIDDLEWARE = ["oms.db_router.PrimaryAfterWriteMiddleware", *settings.MIDDLEWARE]
    try:
        _replay(paused=False)  # a run killed while it held replay paused would have left it so
        _replayed_everything_until_now()
        _replay(paused=True)
        with primary_window():  # writes of earlier tests in this thread do not count
            yield connections["replica"]
    finally:
        _replay(paused=False)


@pytest.fixture
def elsewhere():
    """``elsewhere(fn)``: run ``fn`` as another client would, in its own thread and connection; its result."""

    def run(call):
        result = {}

        def target():
            try:
                result["value"] = call()
            finally:
                connections.close_all()

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(timeout=30)
        return result["value"]

    return run
