"""Writes whose results nobody reads, sent to PostgreSQL together as one statement.

A use case that ends with several such writes (placement: the order's new state, its timeline, the reports'
mark, the tasks queued) opens ``writes_deferred()``; inside it ``write()`` keeps each INSERT/UPDATE instead of
running it, and ``run()`` sends them as the data-modifying CTEs of one statement. PostgreSQL runs every one of
them exactly once, to completion, in the same snapshot, so the writes must be independent of each other (no
row written twice, none reading another's effect); foreign keys are checked at commit. One round trip instead
of one per write. Elsewhere than on PostgreSQL (SQLite for the demo) each write runs at once, as without a batch.
"""

import functools
import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from types import NoneType
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Model
from django.db.models.sql import InsertQuery, UpdateQuery
from psycopg2.extras import Json

from oms import prepared

Statement = tuple[str, list]

_pending: ContextVar[list[Statement] | None] = ContextVar("deferred_writes", default=None)


@contextmanager
def writes_deferred(using: str = DEFAULT_DB_ALIAS):
    """Keep the ``write()`` calls of the block (on PostgreSQL) in the list it yields, for ``run()``."""
    pending: list[Statement] | None = [] if connections[using].vendor == "postgresql" else None
    token = _pending.set(pending)
    try:
        yield pending if pending is not None else []
    finally:
        _pending.reset(token)


def active() -> bool:
    """Whether ``write()`` keeps writes now (inside ``writes_deferred()`` on PostgreSQL)."""
    return _pending.get() is not None


def write(sql: str, params: Iterable, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run the INSERT/UPDATE ``sql`` now, or keep it for the batch the caller is in."""
    pending = _pending.get()
    if pending is not None and using == DEFAULT_DB_ALIAS:
        pending.append((sql, list(params)))
        return
    with connections[using].cursor() as cursor:
        cursor.execute(sql, list(params))


def run(pending: list[Statement], final: Statement | None = None, *, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
    """Send the kept writes, and ``final`` (whose rows are answered), as one statement; nothing if there are none."""
    if not pending and final is None:
        return []
    ctes = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(pending))
    final_sql, final_params = final if final is not None else ("SELECT 1", [])
    sql = prepared.marked(f"WITH {ctes} {final_sql}" if ctes else final_sql)
    params = [param for _, statement_params in pending for param in statement_params] + list(final_params)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if final is not None else []


class _Hold:
    """The last writes of a use case, kept by ``holding()`` for its caller to send with writes of its own."""

    def __init__(self):
        self.kept: tuple[list[Statement], Statement | None, Callable[[list[tuple]], None] | None] | None = None

    def keep(self, pending: list[Statement], final: Statement | None, then) -> None:
        if self.kept is not None:  # a second batch of last writes: the first goes now
            self.run()
        self.kept = (pending, final, then)

    def run(self, extra: list[Statement] = ()) -> None:
        """Send what is kept with ``extra`` (plain writes, as CTEs), in one statement; ``extra`` alone if nothing is."""
        kept, self.kept = self.kept, None
        pending, final, then = kept if kept is not None else ([], None, None)
        rows = run([*pending, *extra], final)
        if then is not None:
            then(rows)


_hold: ContextVar[_Hold | None] = ContextVar("deferred_hold", default=None)


@contextmanager
def holding():
    """Keep the last writes a use case sends with ``run_or_hold`` for the block's owner, who sends them (``run()``
    on what it yields, with writes of its own) before the block ends; what it did not send goes at the end. On
    PostgreSQL only, as ``run()`` (the writes go as CTEs). Code that reads what the kept writes write must
    ``release()``."""
    hold = _Hold()
    token = _hold.set(hold)
    try:
        yield hold
        if hold.kept is not None:
            hold.run()
    finally:
        _hold.reset(token)


def run_or_hold(pending: list[Statement], final: Statement | None = None, *, then=None) -> None:
    """``run(pending, final)`` then ``then(rows)``, or, inside ``holding()``, kept for the holder to send."""
    hold = _hold.get()
    if hold is not None:
        hold.keep(pending, final, then)
        return
    rows = run(pending, final)
    if then is not None:
        then(rows)


def release() -> None:
    """Send the writes ``holding()`` keeps now: for code that is about to read what they write."""
    if (hold := _hold.get()) is not None and hold.kept is not None:
        hold.run()


def insert_sql(objs: list[Model], *, returning: bool = False, using: str = DEFAULT_DB_ALIAS) -> Statement:
    """The INSERT that ``bulk_create(objs)`` would run (one statement; ``RETURNING`` the primary key if asked).
    Objects with their primary key set (drawn from its sequence beforehand) are inserted with it.

    Django compiles the SQL once per shape (model, with or without the key, rows, ``RETURNING``); later calls
    only prepare the values, as its compiler does (``pre_save``, then ``get_db_prep_save``). Values that are
    expressions go through the compiler every time."""
    model = type(objs[0])
    meta = model._meta
    with_pk = objs[0].pk is not None
    connection = connections[using]
    if connection.vendor == "postgresql" and (sql := _json_insert_sql(model, with_pk, returning, using)) is not None:
        rows = _plain_rows(objs, _insert_plan(model, with_pk), connection)
        if rows is not None and (document := _json_document(rows)) is not None:
            return sql, [document]
    key = (model, with_pk, returning, len(objs), using)
    shape = _insert_shapes.get(key)
    if shape is not None and (rows := _plain_rows(objs, _insert_plan(model, with_pk), connection)) is not None:
        sql, by_column = shape
        return sql, (
            [list(column) for column in zip(*rows, strict=True)]
            if by_column
            else [value for row in rows for value in row]
        )
    fields = _insert_fields(model, with_pk)
    rows = [[field.pre_save(obj, True) for field in fields] for obj in objs]
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    query.raw = True  # pre_save ran above; the compiler reads the attributes it set
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [meta.pk] if returning else None
    ((sql, params),) = compiler.as_sql()
    plain = not any(hasattr(value, "resolve_expression") for row in rows for value in row)
    if plain and not any(hasattr(field, "get_placeholder") for field in fields):
        _insert_shapes[key] = (sql, len(objs) > 1 and "UNNEST(" in sql)
    return sql, list(params)


@functools.cache
def _json_insert_sql(model: type[Model], with_pk: bool, returning: bool, using: str) -> str | None:
    """The INSERT of rows given as one JSON parameter (an array of arrays, a value per column): psycopg2 writes each
    parameter into the statement's text, and for the sixty-odd values of an order and its lines that cost more than
    the rest of the INSERT. Each value is cast to its column's type without the type's length or precision, as
    Django's own ``UNNEST`` form does, so a value too long for its column fails as it would otherwise. None for a
    model with a field whose placeholder is its own."""
    fields = _insert_fields(model, with_pk)
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(f"(r->>{n})::{field.db_type(connection).split('(')[0]}" for n, field in enumerate(fields))
    sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM jsonb_array_elements(%s::jsonb) AS r"
    return f"{sql} RETURNING {table}.{quote(model._meta.pk.column)}" if returning else sql


def _json_document(rows: list[list]) -> str | None:
    """``rows`` as the JSON text ``_json_insert_sql`` reads (each value as text, in the form its column's type reads
    it), or None if a value has no such form here (the caller then writes the values one by one)."""
    try:
        return json.dumps(rows, default=_json_value, ensure_ascii=False, allow_nan=False)
    except (_NoJsonForm, ValueError):  # ValueError: a float NaN or infinity, which JSON cannot hold
        return None


class _NoJsonForm(Exception):
    pass


def _json_value(value):
    """A value JSON has no form of (its encoder writes strings, choices among them, numbers, booleans and None as
    they are), as its column reads it."""
    kind = type(value)
    if kind is Decimal:
        return str(value)
    if kind is datetime:
        if value.tzinfo is None:
            raise _NoJsonForm
        return value.isoformat()
    if kind is date:
        return value.isoformat()
    if isinstance(value, Json):  # a JSON field's value, as psycopg2 would write it
        return value.dumps(value.adapted)
    if isinstance(value, UUID):
        return str(value)
    raise _NoJsonForm


_insert_shapes: dict[tuple, tuple[str, bool]] = {}  # (model, with pk, returning, rows, alias) -> (SQL, UNNEST form)
_update_shapes: dict[tuple, str] = {}  # (model, field names, which are None, alias) -> SQL


# Fields whose get_db_prep_save hands values of these exact types back unchanged (to_python of a str is the str,
# int() of an int is the int, a key's id is its target's int, a Decimal is copied, PostgreSQL's adapter takes dates
# and aware datetimes as they are): those values skip the call, which costs more than the rest of building the
# INSERT when a row has fifty columns. A naive datetime still goes through Django (which warns and makes it aware).
_AS_IS = {
    models.DecimalField: (Decimal, NoneType),
    models.DateTimeField: (datetime, NoneType),
    models.DateField: (date, NoneType),
    models.CharField: (str, NoneType),
    models.TextField: (str, NoneType),
    models.EmailField: (str, NoneType),
    models.IntegerField: (int, NoneType),
    models.PositiveIntegerField: (int, NoneType),
    models.PositiveSmallIntegerField: (int, NoneType),
    models.SmallIntegerField: (int, NoneType),
    models.BigIntegerField: (int, NoneType),
    models.BigAutoField: (int, NoneType),
    models.AutoField: (int, NoneType),
    models.BooleanField: (bool,),
    models.ForeignKey: (int, NoneType),
}


def _plain_rows(objs: list[Model], plan: list[tuple], connection) -> list[list] | None:
    """The objects' values as the compiler would prepare them; None if one is an expression (the compiler's)."""
    rows = []
    for obj in objs:
        row = []
        for attname, field, as_is in plan:
            value = getattr(obj, attname) if attname else field.pre_save(obj, True)
            if _unchanged(value, as_is):
                row.append(value)
            elif hasattr(value, "resolve_expression"):
                return None
            else:
                row.append(field.get_db_prep_save(value, connection=connection))
        rows.append(row)
    return rows


def _unchanged(value, as_is: tuple) -> bool:
    """Whether ``value`` goes into the statement as it is (see ``_AS_IS``)."""
    return type(value) in as_is and getattr(value, "tzinfo", True) is not None


@functools.cache
def _insert_plan(model: type[Model], with_pk: bool) -> list[tuple]:
    """Per inserted field: its attribute when ``pre_save`` only reads it (else None), the field, the types of
    values it takes as they are."""
    plan = []
    for field in _insert_fields(model, with_pk):
        reads = type(field).pre_save is models.Field.pre_save or (
            isinstance(field, models.DateField) and not field.auto_now and not field.auto_now_add
        )
        plan.append((field.attname if reads else None, field, _as_is_types(field)))
    return plan


@functools.cache
def _as_is_types(field) -> tuple:
    integer_key = type(getattr(field, "target_field", None)) in (models.BigAutoField, models.AutoField)
    return () if isinstance(field, models.ForeignKey) and not integer_key else _AS_IS.get(type(field), ())


@functools.cache
def _insert_fields(model: type[Model], with_pk: bool) -> list:
    meta = model._meta
    return [f for f in meta.local_concrete_fields if not f.generated and (with_pk or f is not meta.auto_field)]


def update_sql(obj: Model, field_names: list[str], *, using: str = DEFAULT_DB_ALIAS) -> Statement:
    """The UPDATE that ``obj.save(update_fields=field_names)`` would run (``auto_now`` fields set as save does).
    Compiled once per shape (model, fields, which of them are NULL), as ``insert_sql`` is."""
    meta = obj._meta
    fields = [meta.get_field(name) for name in field_names]
    values = [field.pre_save(obj, False) for field in fields]
    connection = connections[using]
    plain = not any(hasattr(v, "resolve_expression") or hasattr(v, "prepare_database_save") for v in values)
    if plain:
        kept = [_as_is_types(field) for field in fields]
        prepped = [
            value if _unchanged(value, as_is) else field.get_db_prep_save(value, connection=connection)
            for field, value, as_is in zip(fields, values, kept, strict=True)
        ]
        key = (type(obj), tuple(field_names), tuple(value is None for value in prepped), using)  # None: "= NULL"
        if sql := _update_shapes.get(key):
            pk = meta.pk.get_db_prep_value(obj.pk, connection)
            return sql, [*(value for value in prepped if value is not None), pk]
    query = UpdateQuery(type(obj))
    query.add_update_fields([(field, None, value) for field, value in zip(fields, values, strict=True)])
    query.add_filter("pk", obj.pk)
    sql, params = query.get_compiler(using=using).as_sql()
    if plain and not any(hasattr(field, "get_placeholder") for field in fields):
        _update_shapes[key] = sql
    return sql, list(params)


def update_many_sql(objs: list[Model], field_names: list[str], *, using: str = DEFAULT_DB_ALIAS) -> Statement:
    """One UPDATE setting ``field_names`` of each of ``objs`` to its value (what ``bulk_update`` runs, in one batch)."""
    model = type(objs[0])
    meta = model._meta
    connection = connections[using]
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    assignments, params = [], []
    for name in field_names:
        field = meta.get_field(name)
        cases = " ".join(f"WHEN {pk} = %s THEN %s" for _ in objs)
        assignments.append(f"{quote(field.column)} = CAST(CASE {cases} END AS {field.cast_db_type(connection)})")
        for obj in objs:
            params += [obj.pk, field.get_db_prep_save(getattr(obj, field.attname), connection=connection)]
    ids = ", ".join("%s" for _ in objs)
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {pk} IN ({ids})"
    return sql, params + [obj.pk for obj in objs]
