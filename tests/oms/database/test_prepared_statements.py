"""The hot path's marked SQL runs as server-side prepared statements where the app keeps its connections, with
the same answers as plain SQL, and falls back to plain SQL wherever preparing cannot work."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from oms import prepared
from tests.conftest import ORDER_BODY

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")

TYPED = prepared.marked(
    "SELECT %s::integer, %s::text, %s::numeric, %s::timestamptz, %s::text[], %s::jsonb, %s::integer, '100%%'"
)
VALUES = [7, "it's", Decimal("12.50"), dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC), ["a", "b"], '{"k": 1}', None]


def _run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sent(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def test_a_marked_statement_is_prepared_once_and_answers_as_plain_sql_does(db):
    # given the answer of the statement run as plain SQL
    plain = _run(TYPED[len(prepared.MARK) :], VALUES)

    # when it runs marked, twice on the same connection
    with CaptureQueriesContext(connection) as captured:
        first = _run(TYPED, VALUES)
        second = _run(TYPED, VALUES)

    # then both answers equal the plain one, including NULL, arrays, JSON, decimals, times and a literal %
    assert first == second == plain
    assert plain[0][-1] == "100%" and plain[0][-2] is None
    # and both went as EXECUTE of the one statement prepared on this connection
    sent = _sent(captured)
    assert len(sent) == 2 and all(sql.startswith("EXECUTE oms_") for sql in sent)
    assert sent[0].split("(")[0] == sent[1].split("(")[0]


def test_a_statement_postgresql_cannot_prepare_runs_as_plain_sql_in_the_same_transaction(db):
    # given a statement whose parameter type PostgreSQL cannot infer, inside a transaction
    untyped = prepared.marked("SELECT 1 WHERE %s IS NULL")
    with transaction.atomic():
        # when it runs marked
        rows = _run(untyped, [None])
        # then it answers as plain SQL, and the transaction is still usable
        assert rows == [(1,)]
        assert _run("SELECT 2", []) == [(2,)]
    with CaptureQueriesContext(connection) as captured:
        _run(untyped, [None])
    assert not _sent(captured)[0].startswith("EXECUTE")


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    # given a statement prepared on a connection
    _run(TYPED, VALUES)

    # when the connection is replaced (the server session and its prepared statements are gone)
    connection.close()

    # then the statement runs on the new connection without "prepared statement does not exist"
    assert _run(TYPED, VALUES)[0][0] == 7


@pytest.mark.django_db(transaction=True)
def test_a_statement_whose_table_changed_under_it_recovers_on_the_next_request():
    # given a prepared statement reading every column of a table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE prepared_probe (a integer)")
        cursor.execute("INSERT INTO prepared_probe VALUES (1)")
    try:
        probe = prepared.marked("SELECT * FROM prepared_probe WHERE a = %s")
        assert _run(probe, [1]) == [(1,)]

        # when a migration adds a column, the next run fails ("cached plan must not change result type")
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE prepared_probe ADD COLUMN b integer DEFAULT 2")
        with pytest.raises(Exception, match="cached plan must not change result type"):
            _run(probe, [1])

        # then the run after it prepares the statement again and sees the new column
        assert _run(probe, [1]) == [(1, 2)]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE prepared_probe")


def _plan(sql, params) -> str:
    name = prepared._session(connection).names[sql]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (COSTS OFF) EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
        return " ".join(row[0] for row in cursor.fetchall())


def test_a_plan_chosen_while_a_table_was_small_is_replaced_as_the_statement_keeps_running(db):
    # given a lookup by primary key prepared while its table held three rows: a sequential scan is cheapest
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE growing (id integer PRIMARY KEY, v text)")
        cursor.execute("INSERT INTO growing SELECT n, 'x' FROM generate_series(1, 3) n")
        cursor.execute("ANALYZE growing")
    lookup = prepared.marked("SELECT v FROM growing WHERE id = %s")
    for n in range(10):
        _run(lookup, [n % 3 + 1])
    assert "Seq Scan" in _plan(lookup, [1])

    # when the table grows to 200,000 rows (no ANALYZE: nothing tells PostgreSQL to plan again)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO growing SELECT n, 'x' FROM generate_series(4, 200000) n")
    assert "Seq Scan" in _plan(lookup, [1])

    # then once the statement has run REPREPARE_AFTER times in all, it is prepared again and uses the index
    for _ in range(prepared.REPREPARE_AFTER - 10 + 1):
        assert _run(lookup, [2]) == [("x",)]
    assert "Index" in _plan(lookup, [1])


def test_a_statement_is_prepared_again_after_twice_as_many_runs_each_time_up_to_the_maximum(db):
    # given a statement prepared on this connection
    probe = prepared.marked("SELECT %s::integer + 1")
    _run(probe, [1])
    state = prepared._session(connection)
    name = state.names[probe]

    # when it runs through several lifetimes
    lifetimes = [state.lifetimes[name]]
    for _ in range(8):
        for _ in range(state.runs[name] + 1):
            assert _run(probe, [1]) == [(2,)]
        lifetimes.append(state.lifetimes[name])

    # then each lifetime doubles the one before, up to the maximum
    first = prepared.REPREPARE_AFTER
    assert lifetimes == [min(first * 2**n, prepared.REPREPARE_AFTER_MAX) for n in range(9)]


@pytest.mark.parametrize(
    "options",
    [{"DISABLE_SERVER_SIDE_CURSORS": True}, {"CONN_MAX_AGE": 0}],
    ids=["behind a transaction-mode pooler", "a connection per request"],
)
def test_it_is_off_where_a_prepared_statement_would_not_outlive_the_request(db, options):
    class Connection:
        vendor = "postgresql"
        settings_dict = {**connection.settings_dict, **options}

    assert prepared.enabled(connection)
    assert not prepared.enabled(Connection())


def test_it_is_off_when_the_setting_says_so(db, settings):
    settings.OMS_PREPARED_STATEMENTS = False
    assert not prepared.enabled(connection)


def test_an_api_placement_runs_its_statements_prepared(api, mug):
    # when a storefront places two orders on one connection
    api.post("/api/v1/orders/", ORDER_BODY, format="json", HTTP_IDEMPOTENCY_KEY="warm-1")
    with CaptureQueriesContext(connection) as captured:
        answer = api.post("/api/v1/orders/", ORDER_BODY, format="json", HTTP_IDEMPOTENCY_KEY="second-1")

    # then the order is placed, and its statements (the catalog read with the key's claim and the fraud histories,
    # the stock lock, the writes with the stored answer) all went prepared
    assert answer.status_code == 201, answer.content
    statements = [sql for sql in _sent(captured) if "SAVEPOINT" not in sql]  # the test's transaction
    assert len(statements) >= 3 and all(sql.startswith("EXECUTE oms_") for sql in statements), statements
