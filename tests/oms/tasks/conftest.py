"""A namespace of its own on the test Redis, and a real Celery worker that consumes from it.

Each test gets a fresh Redis key prefix (kombu's ``global_keyprefix``): the in-process app publishes
under it and the worker consumes under it, so parallel test runs on one Redis cannot steal each
other's messages. Everything under the prefix is deleted afterwards.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from oms.celery import app

BASE_DIR = Path(django_settings.BASE_DIR)
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
WORKER_QUEUES = "default,orders,payments,notifications,inventory,carriers,webhooks"


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, interval: float = 0.1):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Broker:
    """The test Redis seen through one key prefix; ``publish_to(url)`` points the in-process app elsewhere."""

    def __init__(self, monkeypatch):
        self.url = BROKER_URL
        self.prefix = f"oms-test-{uuid.uuid4().hex[:12]}:"
        self.redis = redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=5)
        self._monkeypatch = monkeypatch
        self._transport_options = app.conf.broker_transport_options

    def publish_to(self, url: str | None = None) -> None:
        """Make the outbox publish to ``url`` (default: the test Redis, under this prefix), with fresh connections."""
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
        self._monkeypatch.setenv("CELERY_BROKER_URL", url or self.url)
        app.conf.broker_transport_options = {**self._transport_options, "global_keyprefix": self.prefix}
        app._after_fork()  # drops the connection and producer pools, as after a fork

    def queue_length(self, queue: str) -> int:
        return self.redis.llen(f"{self.prefix}{queue}")

    def close(self) -> None:
        app.conf.broker_transport_options = self._transport_options
        app._after_fork()
        keys = list(self.redis.scan_iter(match=f"{self.prefix}*"))
        if keys:
            self.redis.delete(*keys)
        self.redis.close()


@pytest.fixture
def broker(monkeypatch):
    """The test Redis under a key prefix of this test's own; skips when Redis is not reachable."""
    if not BROKER_URL.startswith("redis://"):
        pytest.skip(f"needs a Redis broker; CELERY_BROKER_URL is {BROKER_URL}")
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis at {BROKER_URL}: {exc}")
    broker = Broker(monkeypatch)
    broker.publish_to()
    yield broker
    broker.close()


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path, mail_dir: Path):
        self.process = process
        self.log = log
        self.mail_dir = mail_dir

    @staticmethod
    def wait_for(condition: Callable[[], object], *, timeout: float, what: str):
        return wait_for(condition, timeout=timeout, what=what)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_processed(self, task_id: str, *, timeout: float = 20) -> None:
        """Wait for the worker to log that it finished the task with that id (successfully or not)."""
        wait_for(
            lambda: f"[{task_id}] succeeded" in self.log_text() or f"[{task_id}] raised" in self.log_text(),
            timeout=timeout,
            what=f"the worker to process task {task_id}",
        )
        assert f"[{task_id}] succeeded" in self.log_text(), self.log_text()[-3000:]

    def mail_subjects(self) -> list[str]:
        """Subjects of every email the worker wrote (the file backend: one file per connection)."""
        return [
            line.removeprefix("Subject: ").strip()
            for path in sorted(self.mail_dir.glob("*.log"))
            for line in path.read_text(errors="replace").splitlines()
            if line.startswith("Subject: ")
        ]

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, with whatever task it holds, as in an out-of-memory kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def start_worker(transactional_db, broker, settings, tmp_path):
    """``start_worker(env=..., beat=False)``: start a real Celery worker process (the project's app, every
    queue, solo pool) on the test database; ``beat=True`` runs the beat schedule inside it. Each worker writes
    emails to the same folder. All are stopped at the end.

    The test's own process stops running tasks in-process: the outbox hands them to the broker.
    """
    if connection.vendor != "postgresql":
        pytest.skip(f"a worker process needs a database it can share; the test database is {connection.vendor}")
    settings.OMS_TASKS_INLINE = False
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    workers: list[Worker] = []

    def start(*, env: dict[str, str] | None = None, beat: bool = False) -> Worker:
        number = len(workers) + 1
        log = tmp_path / f"worker-{number}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "oms.settings",
            "PYTHONPATH": str(BASE_DIR),
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker.url,
            "OMS_TEST_BROKER_PREFIX": broker.prefix,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "OMS_VAR_DIR": str(tmp_path / "var"),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        environment.pop("EMAIL_HOST", None)
        command = [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "tests.oms.tasks.worker_app",
            "worker",
            "-Q",
            WORKER_QUEUES,
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test{number}-{broker.prefix.strip(':')}@%h",
        ]
        if beat:
            command += ["--beat", "--schedule", str(tmp_path / f"beat-schedule-{number}")]
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                command, cwd=BASE_DIR, env=environment, stdout=log_file, stderr=subprocess.STDOUT
            )
        worker = Worker(process, log, mail_dir)
        workers.append(worker)
        wait_for(
            lambda: " ready." in worker.log_text() or process.poll() is not None,
            timeout=20,
            what="the worker to start",
        )
        assert process.poll() is None, f"the worker exited:\n{worker.log_text()[-3000:]}"
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker(start_worker):
    """One real Celery worker process; see ``start_worker``."""
    return start_worker()
