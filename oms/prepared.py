"""Server-side prepared statements for the hot path's SQL, on database connections the app keeps open.

psycopg2 sends each statement as text with the values written into it, so PostgreSQL parses and plans every
one anew. For placement's statements (a catalog read of two dozen subqueries, the fraud histories over the
orders table and its indexes, one statement of a dozen data-modifying CTEs) planning cost more than running
them. A statement marked with ``marked(sql)`` is, on a connection where that pays, PREPAREd once per
connection (its ``%s`` become ``$1, $2, …``) and then sent as ``EXECUTE name(values)``: PostgreSQL plans it
a few times and then reuses a generic plan. Only SQL the project writes is marked, never arbitrary ORM
queries: a parameter whose type PostgreSQL infers from its context must mean the same as the value written
in (in a SELECT list an untyped ``$1`` would come back as text).

It is off, and the marked SQL runs as plain text, where a prepared statement does not belong to one client:
behind a transaction-mode pooler (``DATABASE_POOLER=pgbouncer`` or ``DISABLE_SERVER_SIDE_CURSORS``, which
hand the server session to another client after each transaction), with ``DB_CONN_MAX_AGE=0`` (a connection
per request would prepare more than it saves), with ``OMS_PREPARED_STATEMENTS=0``, and elsewhere than on
PostgreSQL. A statement PostgreSQL refuses to prepare runs as plain text from then on.

A generic plan is kept for as long as the statement lives, and PostgreSQL does not plan again because a table
grew: a plan chosen when the orders tables were nearly empty (the first requests on a new database) kept a
sequential scan of the order lines for an update by primary key, and cost more with every order placed (1.3 ms
instead of 0.5 after 8,000 lines, growing). So each statement is prepared again after ``REPREPARE_AFTER`` runs
on its connection, then after twice as many each time up to ``REPREPARE_AFTER_MAX``: young tables grow fastest
relative to their size, and later a few custom plans per ten thousand runs cost nothing.
"""

import hashlib
import logging
import re

import psycopg2
from django.conf import settings
from django.db.backends.signals import connection_created

MARK = "/*prepared*/ "
# A connection keeps at most this many (as psycopg 3's prepared_max); further marked statements run as plain text.
MAX_PER_CONNECTION = 100
# Runs of a prepared statement on one connection before it is prepared again, with the tables as they are then;
# doubled at each new preparation, up to the maximum.
REPREPARE_AFTER = 100
REPREPARE_AFTER_MAX = 10_000

logger = logging.getLogger(__name__)
_placeholder = re.compile(r"%%|%s")
_refused: set[str] = set()  # statements PostgreSQL could not prepare (in this process)


def marked(sql: str) -> str:
    """``sql``, to be run as a prepared statement where that is on."""
    return sql if sql.startswith(MARK) else MARK + sql


def enabled(connection) -> bool:
    options = connection.settings_dict
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "OMS_PREPARED_STATEMENTS", True)
        and options.get("CONN_MAX_AGE") != 0
        and not options.get("DISABLE_SERVER_SIDE_CURSORS")
    )


class _Prepared:
    """The statements prepared on one server session (one psycopg2 connection)."""

    def __init__(self, raw):
        self.raw = raw
        self.names: dict[str, str] = {}
        self.runs: dict[str, int] = {}  # by name: runs left before it is prepared again
        self.lifetimes: dict[str, int] = {}  # by name: the runs it was given when last prepared
        self.stale = False


def _session(connection) -> _Prepared:
    state = getattr(connection, "_oms_prepared", None)
    if state is None or state.raw is not connection.connection:
        state = connection._oms_prepared = _Prepared(connection.connection)
    return state


def _execute_prepared(execute, sql, params, many, context):
    """Django execute wrapper (innermost): runs a marked statement through its prepared twin."""
    if many or not sql.startswith(MARK) or sql in _refused:
        return execute(sql, params, many, context)
    connection = context["connection"]
    connection.validate_no_broken_transaction()  # as Django's own execute would, before anything is sent
    state = _session(connection)
    raw_cursor = context["cursor"].cursor
    if state.stale:
        with connection.wrap_database_errors:
            raw_cursor.execute("DEALLOCATE ALL")
        state = connection._oms_prepared = _Prepared(state.raw)
    name = state.names.get(sql)
    if name is None or state.runs[name] <= 0:
        if name is None and len(state.names) >= MAX_PER_CONNECTION:
            return execute(sql, params, many, context)
        again = name is not None
        name = _prepare(connection, raw_cursor, sql, again=again)
        if name is None:
            return execute(sql, params, many, context)
        state.names[sql] = name
        lifetime = min(2 * state.lifetimes[name], REPREPARE_AFTER_MAX) if again else REPREPARE_AFTER
        state.runs[name] = state.lifetimes[name] = lifetime
    state.runs[name] -= 1
    values = list(params or ())
    statement = f"EXECUTE {name}({', '.join(['%s'] * len(values))})" if values else f"EXECUTE {name}"
    try:
        return execute(statement, values, many, context)
    except Exception as error:
        if getattr(getattr(error, "__cause__", None), "pgcode", None) == "0A000":
            # "cached plan must not change result type": a migration changed a table under the statement.
            state.stale = True
        raise


def _prepare(connection, raw_cursor, sql: str, *, again: bool = False) -> str | None:
    """PREPARE ``sql`` on this session (``again``: replacing its earlier twin, in the same round trip); its name,
    or None (remembered) if PostgreSQL refuses it."""
    name = "oms_" + hashlib.blake2b(sql.encode(), digest_size=10).hexdigest()
    numbers = iter(range(1, 65536))
    text = _placeholder.sub(lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)
    in_transaction = not connection.get_autocommit()
    with connection.wrap_database_errors:  # a lost connection is reported as Django reports it
        if in_transaction:  # a refused PREPARE must not break the caller's transaction
            raw_cursor.execute("SAVEPOINT oms_prepare")
        try:
            raw_cursor.execute(f"{f'DEALLOCATE {name}; ' if again else ''}PREPARE {name} AS {text}")
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            raise
        except psycopg2.Error as error:
            if in_transaction:
                raw_cursor.execute("ROLLBACK TO SAVEPOINT oms_prepare")
                raw_cursor.execute("RELEASE SAVEPOINT oms_prepare")
            if error.pgcode == "42P05":  # already prepared on this session by an earlier run of this process
                return name
            _refused.add(sql)
            logger.info("prepared statements: PostgreSQL refused %s (%s); it runs as plain text", name, error)
            return None
        if in_transaction:
            raw_cursor.execute("RELEASE SAVEPOINT oms_prepare")
    return name


def _install(sender, connection, **kwargs):
    if enabled(connection) and _execute_prepared not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _execute_prepared)


def install() -> None:
    """Called once at start (``OmsConfig.ready``): every new PostgreSQL connection gets the wrapper."""
    connection_created.connect(_install, dispatch_uid="oms.prepared")
