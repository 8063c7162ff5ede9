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


def _messages(n, *, tag):
    at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    return [
        OutboxMessage(task_name="orders.tasks.x", queue="orders", kwargs={"n": k, "tag": tag}, created_at=at)
        for k in range(n)
    ]


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("returning", [False, True])
def test_an_insert_stores_the_rows_as_djangos_own_insert_does(db, rows, returning):
    # given rows inserted by Django's own compiler
    with connection.cursor() as cursor:
        cursor.execute(*_django_insert(_messages(rows, tag="django"), returning))

    # when rows of the same values are inserted by the hot path's statement (twice: its SQL is kept after the first)
    deferred.insert_sql(_messages(rows, tag="first"), returning=returning)
    with connection.cursor() as cursor:
        cursor.execute(*deferred.insert_sql(_messages(rows, tag="ours"), returning=returning))
        returned = cursor.fetchall() if returning else None

    # then the stored rows are the same, and the keys come back in the rows' order
    def stored(tag):
        found = OutboxMessage.objects.filter(kwargs__tag=tag).order_by("pk")
        return [(m.task_name, m.queue, m.kwargs["n"], m.attempts, m.dispatched_at, m.created_at.date()) for m in found]

    assert stored("ours") == stored("django") and len(stored("ours")) == rows
    if returning:
        assert [pk for (pk,) in returned] == list(
            OutboxMessage.objects.filter(kwargs__tag="ours").values_list("pk", flat=True).order_by("pk")
        )


def test_a_value_too_long_for_its_column_fails_as_it_does_in_djangos_insert(db):
    from django.db import DataError, transaction

    from orders.models import Customer

    # when a customer whose name is longer than its column is inserted
    customer = Customer(email="long@example.com", name="x" * 1000)
    with pytest.raises(DataError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(*deferred.insert_sql([customer]))

    # then nothing was cut short and stored
    assert not Customer.objects.filter(email="long@example.com").exists()


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


def test_values_of_many_kinds_are_stored_as_djangos_insert_stores_them(db):
    # given customers (text, email, decimal, integer, choices and a nullable key)
    from orders.models import Customer

    def customers(tag):
        return [
            Customer(email=f"{tag}{n}@example.com", name=f"{tag} {n}", phone="", credit_limit="150.00", storefront=None)
            for n in range(2)
        ]

    # when a pair is inserted by Django and a pair by the hot path's statement
    with connection.cursor() as cursor:
        cursor.execute(*_django_insert(customers("django"), returning=False))
        deferred.insert_sql(customers("first"))
        cursor.execute(*deferred.insert_sql(customers("ours")))

    # then they are stored alike
    fields = [
        f.attname
        for f in Customer._meta.concrete_fields
        if f.attname not in ("id", "email", "name")
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]

    def stored(tag):
        return list(Customer.objects.filter(email__startswith=tag).order_by("email").values_list(*fields))

    assert stored("ours") == stored("django") and len(stored("ours")) == 2


def test_a_naive_time_is_still_made_aware_as_django_does_and_an_aware_one_and_a_decimal_go_as_they_are(db):
    from decimal import Decimal

    from orders.models import Customer

    # given an order's UPDATE of a time compiled once, and a customer's INSERT with a credit limit
    order = OrderFactory()
    order.shipped_at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    assert deferred.update_sql(order, ["shipped_at"])[1][0] is order.shipped_at
    limit = Decimal("150.00")
    with connection.cursor() as cursor:
        cursor.execute(*deferred.insert_sql([Customer(email="b@example.com", name="B", credit_limit=limit)]))
    assert Customer.objects.get(email="b@example.com").credit_limit == limit

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
