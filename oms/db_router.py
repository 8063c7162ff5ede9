"""Reads that may be a moment old go to the read replica; everything else stays on the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database, this router and the middleware below.
A view, report or export opts in by wrapping its reads::

    from oms.db_router import read_from_replica

    with read_from_replica():
        page = order_list_for_staff(filters)        # list pages, reports, exports

    @read_from_replica()
    def sales_report(...): ...

Inside such a block, reads go to the replica, except:

- inside a transaction (``transaction.atomic``): a read there may decide a write, and must see the
  primary's rows and locks;
- right after a write by the same client: for ``OMS_REPLICA_STICKY_SECONDS`` (default 10) after a request
  that wrote, the middleware's cookie keeps that browser's reads on the primary, so someone who just saved
  an order sees it in the list they are sent back to; a write earlier in the same request or task does the
  same for the rest of that window.

- while the replica does not answer or is further behind than ``OMS_REPLICA_MAX_LAG_SECONDS`` (checked at
  most every ``OMS_REPLICA_CHECK_SECONDS`` per process): the pages then read the primary instead of failing
  or showing old figures, and ``/health/`` and the dashboard home say so.

Writes always go to the primary, also inside a block. Without a replica configured, ``read_from_replica``
changes nothing. Code that does not opt in never reads from the replica: the replica lags the primary by up
to a second or so in normal operation (more under load, see docs/scaling.md), which only pages that show a
list or a report may accept.
"""

import logging
import math
import time
from contextlib import ContextDecorator, contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError

log = logging.getLogger(__name__)

REPLICA = "replica"
COOKIE = "oms_primary_until"

_replica_reads: ContextVar[bool] = ContextVar("oms_replica_reads", default=False)
# Reads stay on the primary until this time (epoch seconds): set by a write, or by the client's cookie.
_primary_until: ContextVar[float] = ContextVar("oms_primary_until", default=0.0)
# Whether the current request wrote, for the middleware to tell the client to stick to the primary.
_wrote: ContextVar[bool] = ContextVar("oms_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _sticky_seconds() -> float:
    return float(getattr(settings, "OMS_REPLICA_STICKY_SECONDS", 10))


class read_from_replica(ContextDecorator):  # noqa: N801 - used like a function: ``with read_from_replica():``
    """Let the reads in this block (or decorated function) go to the replica, where the router allows it."""

    def _recreate_cm(self):
        # A decorated function may run in several threads at once: each call gets its own block.
        return type(self)()

    def __enter__(self):
        self._token = _replica_reads.set(True)
        return self

    def __exit__(self, *exc_info):
        _replica_reads.reset(self._token)
        return False


def replica_lag_seconds() -> float | None:
    """Seconds the replica's last replayed transaction is behind (0 when it has replayed all it received);
    None without a replica. Raises DatabaseError when the replica does not answer."""
    if not replica_configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
        )
        return float(cursor.fetchone()[0])


# Per process: (checked at, usable). A replica that is down or further behind than
# OMS_REPLICA_MAX_LAG_SECONDS is left alone until the next check, and reads go to the primary meanwhile.
_replica_health: list = [0.0, True]


def replica_usable() -> bool:
    """Whether the replica answered, close enough behind the primary, at the last check (made at most every
    ``OMS_REPLICA_CHECK_SECONDS``)."""
    checked_at, usable = _replica_health
    now = time.monotonic()
    if now - checked_at < getattr(settings, "OMS_REPLICA_CHECK_SECONDS", 5):
        return usable
    try:
        lag = replica_lag_seconds()
        usable = lag is not None and lag <= getattr(settings, "OMS_REPLICA_MAX_LAG_SECONDS", 30)
    except DatabaseError:
        log.warning("the read replica does not answer: reading the primary", exc_info=True)
        usable = False
    _replica_health[:] = [now, usable]
    return usable


def replica_health_forget() -> None:
    """Check the replica again on the next read (tests; a process that was told the replica is back)."""
    _replica_health[:] = [0.0, True]


def reads_go_to_replica() -> bool:
    """Whether a read made now would go to the replica."""
    return (
        _replica_reads.get()
        and replica_configured()
        and time.time() >= _primary_until.get()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        and replica_usable()
    )


@contextmanager
def primary_window(until: float = 0.0):
    """One unit of work (a request, a task, a test) with its own memory of writes: reads stay on the primary
    until ``until`` (epoch seconds) and after any write made inside. Outside any window, that memory
    lasts as long as the thread."""
    until_token = _primary_until.set(until)
    wrote_token = _wrote.set(False)
    try:
        yield
    finally:
        _wrote.reset(wrote_token)
        _primary_until.reset(until_token)


def wrote_in_window() -> bool:
    """Whether the current window (see ``primary_window``) wrote."""
    return _wrote.get()


class PrimaryReplicaRouter:
    """Writes to the primary; reads to the replica only inside ``read_from_replica`` and when safe."""

    def db_for_read(self, model, **hints):
        return REPLICA if reads_go_to_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Asked for every save, update, delete, bulk insert and select_for_update: the moment a write starts.
        _wrote.set(True)
        _primary_until.set(max(_primary_until.get(), time.time() + _sticky_seconds()))
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object read from one may point to an object from the other.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class PrimaryAfterWriteMiddleware:
    """Keeps a client's reads on the primary for a short while after one of its requests wrote.

    The time is kept in a cookie, so every web process knows it without shared state; a client that sends
    an old or forged value only reads from the primary, never anything it may not see.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        try:
            until = float(request.COOKIES.get(COOKIE, "0"))
        except ValueError:
            until = 0.0
        if not math.isfinite(until):
            until = 0.0
        horizon = time.time() + _sticky_seconds()
        with primary_window(min(until, horizon)):
            response = self.get_response(request)
            if wrote_in_window():
                response.set_cookie(
                    COOKIE,
                    f"{_primary_until.get():.3f}",
                    max_age=max(1, round(_sticky_seconds())),
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response
