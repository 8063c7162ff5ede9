"""What fails first, seen from outside: database, broker, queue depth, outbox backlog and replica lag.

``/health/`` answers 200 while the database answers (the load balancer's liveness and readiness), 503 when it
does not. The figures behind it — how many tasks wait in each Celery queue, how many outbox messages are not
yet handed to the broker and how old the oldest is, how far the read replica lags — go to monitoring (with
``OMS_HEALTH_TOKEN``) and to managers on the dashboard home, never to anonymous callers: they tell how busy
the shop is.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError
from django.utils import timezone

from oms.celery import QUEUES
from oms.db_router import replica_configured, replica_lag_seconds

log = logging.getLogger(__name__)


@dataclass
class SystemStatus:
    database: str = "ok"
    broker: str = "ok"  # ok | down | in-process (no broker: tasks run in the web process)
    queues: dict[str, int] = field(default_factory=dict)
    outbox_backlog: int = 0
    outbox_oldest_seconds: float | None = None
    replica: str = "none"  # none | ok | lagging | down
    replica_lag_seconds: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.database != "ok":
            return "down"
        return "degraded" if self.problems else "ok"

    def as_dict(self) -> dict:
        return {"status": self.status, **asdict(self)}


def database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        log.exception("health: the database does not answer")
        return False


def _queue_depths() -> dict[str, int] | None:
    """Messages waiting per queue, read from the Redis broker; None when there is no Redis broker."""
    url = settings.CELERY_BROKER_URL or ""
    if settings.OMS_TASKS_INLINE or not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in QUEUES:
                pipe.llen(name)
            return dict(zip(QUEUES, pipe.execute(), strict=True))
    finally:
        client.close()


def system_status() -> SystemStatus:
    """Every check, each failing on its own: a dead broker does not hide the replica's lag."""
    from oms.models import OutboxMessage

    status = SystemStatus()
    if not database_ok():
        status.database = "down"
        status.problems.append("The database does not answer.")
        return status
    try:
        depths = _queue_depths()
    except Exception as exc:  # noqa: BLE001 - any broker failure (refused, timeout, auth) reads as "down"
        log.warning("health: the broker does not answer: %s", exc)
        status.broker = "down"
        status.problems.append("The task broker (Redis) does not answer: work waits in the outbox.")
    else:
        if depths is None:
            status.broker = "in-process"
        else:
            status.queues = depths
            busy = {name: n for name, n in depths.items() if n >= settings.OMS_HEALTH_QUEUE_WARN}
            for name, n in busy.items():
                status.problems.append(f"{n} tasks wait in the {name} queue.")
    pending = OutboxMessage.objects.using(DEFAULT_DB_ALIAS).filter(dispatched_at=None)
    status.outbox_backlog = pending.count()
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is not None:
        status.outbox_oldest_seconds = round((timezone.now() - oldest).total_seconds(), 1)
        if status.outbox_oldest_seconds > settings.OMS_HEALTH_OUTBOX_WARN_SECONDS:
            status.problems.append(
                f"{status.outbox_backlog} outbox messages wait; the oldest for "
                f"{status.outbox_oldest_seconds:.0f} s (is the beat and the broker running?)."
            )
    if replica_configured():
        try:
            lag = replica_lag_seconds()
        except DatabaseError as exc:
            log.warning("health: the replica does not answer: %s", exc)
            status.replica = "down"
            status.problems.append("The read replica does not answer: lists and reports read the primary.")
        else:
            status.replica_lag_seconds = round(lag, 2)
            status.replica = "ok"
            if lag > settings.OMS_REPLICA_MAX_LAG_SECONDS:
                status.replica = "lagging"
                status.problems.append(f"The read replica is {lag:.0f} s behind the primary.")
    return status
