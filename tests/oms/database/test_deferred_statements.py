"""The hot path's INSERT and UPDATE statements, compiled once per shape, are those Django's compiler writes:
same SQL, same values, for every shape a later call takes."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F

from oms import deferred
from oms.models import OutboxMessage
from tests.factories import OrderFactory


def _django_insert(objs, returning):
    from django.db.models.sql import InsertQuery

    model = type(objs[0])
    fields = [f for f in model._meta.local_concrete_fields if not f.generated and f is not model._meta.auto_field]
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    compiler = query.get_compiler(using="default")
    compiler.returning_fields = [model._meta.pk] if returning else None
    ((sql, params),) = compiler.as_sql()
    return sql, list(params)


def _comparable(params):
    """JSON adapters by their value; times (``created_at`` is set at insert) by their type."""
    if isinstance(params, list):
        return [_comparable(p) for p in params]
    if isinstance(params, dt.datetime):
        return "a time"
    return getattr(params, "adapted", params)


def _messages(n, *, tag):
    at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    return [
        OutboxMessage(task_name="orders.tasks.x", queue="orders", kwargs={"n": k, "tag": tag}, created_at=at)
        for k in range(n)
    ]


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("returning", [False, True])
def test_a_later_insert_of_the_same_shape_is_what_django_writes(db, rows, returning):
    # given the shape compiled once
    deferred.insert_sql(_messages(rows, tag="first"), returning=returning)

    # when other rows of that shape are inserted
    later = _messages(rows, tag="later")
    ours = deferred.insert_sql(later, returning=returning)

    # then SQL and values are Django's own, and the rows land as written
    djangos = _django_insert(_messages(rows, tag="later"), returning)
    assert ours[0] == djangos[0]
    assert _comparable(ours[1]) == _comparable(djangos[1])
    with connection.cursor() as cursor:
        cursor.execute(*ours)
    assert sorted(m.kwargs["n"] for m in OutboxMessage.objects.filter(kwargs__tag="later")) == list(range(rows))


def test_a_later_update_writes_its_values_also_when_one_turns_null(db):
    # given an order's UPDATE compiled once with a time set
    order = OrderFactory()
    order.hold_note, order.shipped_at = "first", dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    deferred.update_sql(order, ["hold_note", "shipped_at"])

    # when the same fields are written with the time emptied (Django writes "= NULL" then, not a value)
    order.hold_note, order.shipped_at = "second", None
    with connection.cursor() as cursor:
        cursor.execute(*deferred.update_sql(order, ["hold_note", "shipped_at"]))

    # then the row holds the new values
    order.refresh_from_db()
    assert (order.hold_note, order.shipped_at) == ("second", None)


def test_an_expression_value_goes_through_djangos_compiler(db):
    message = OutboxMessage.objects.create(task_name="t", queue="orders", kwargs={}, attempts=1)
    deferred.update_sql(message, ["attempts"])
    message.attempts = F("attempts") + 1
    with connection.cursor() as cursor:
        cursor.execute(*deferred.update_sql(message, ["attempts"]))
    message.refresh_from_db()
    assert message.attempts == 2


def test_values_kept_as_they_are_match_djangos_for_a_row_of_many_kinds_of_field(db):
    # given customers (text, email, decimal, integer, boolean-free choices and a nullable key), shape compiled once
    from orders.models import Customer

    def customers(tag):
        return [
            Customer(email=f"{tag}{n}@example.com", name=f"{tag} {n}", phone="", credit_limit="150.00", storefront=None)
            for n in range(2)
        ]

    deferred.insert_sql(customers("first"))

    # when another pair is inserted
    ours = deferred.insert_sql(customers("later"))

    # then the SQL and the values are those Django's compiler gives
    djangos = _django_insert(customers("later"), returning=False)
    assert ours[0] == djangos[0]
    assert _comparable(ours[1]) == _comparable(djangos[1])


def test_a_naive_time_is_still_made_aware_as_django_does_and_an_aware_one_and_a_decimal_go_as_they_are(db):
    from decimal import Decimal

    from orders.models import Customer

    # given an order's UPDATE of a time compiled once, and a customer's INSERT with a credit limit
    order = OrderFactory()
    order.shipped_at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    assert deferred.update_sql(order, ["shipped_at"])[1][0] is order.shipped_at
    limit = Decimal("150.00")
    deferred.insert_sql([Customer(email="a@example.com", name="A", credit_limit=limit)])
    assert limit in deferred.insert_sql([Customer(email="b@example.com", name="B", credit_limit=limit)])[1]

    # when the time is naive
    order.shipped_at = dt.datetime(2026, 12, 7, 9, 0)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        sql, params = deferred.update_sql(order, ["shipped_at"])

    # then it is written made aware, as Django's own save would
    assert params[0].tzinfo is not None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    order.refresh_from_db()
    assert order.shipped_at == dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def test_an_insert_whose_value_is_an_expression_goes_through_djangos_compiler(db):
    from django.db.models.functions import Now

    # given the shape compiled once with plain values
    deferred.insert_sql(_messages(1, tag="plain"))

    # when a row of that shape has an expression for its time
    row = OutboxMessage(task_name="orders.tasks.x", queue="orders", kwargs={"tag": "expression"}, created_at=Now())
    with connection.cursor() as cursor:
        cursor.execute(*deferred.insert_sql([row]))

    # then the database computed the time
    assert OutboxMessage.objects.get(kwargs__tag="expression").created_at is not None
