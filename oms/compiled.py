"""Querysets compiled once per shape, then run again with new values: for the hot path (placement), where
Django building and compiling a query with many subqueries costs more than PostgreSQL running it.

``build(values)`` makes the queryset from a dict of values; it is called once per ``key`` with unique
sentinel values, its SQL is kept, and each later call puts the real values where the sentinels were in the
parameters. The key must name everything that changes the SQL's shape (which subqueries there are, which
filters), and every value that varies must be one of ``values`` and appear in the parameters as given (not
transformed by ``build``). The rows come back as the model's instances, with the annotations as attributes.
"""

from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import RawQuerySet

from oms import prepared

_compiled: dict[Hashable, tuple] = {}
_models: dict[Hashable, type] = {}


def statement(key: Hashable, build: Callable[[dict], tuple[str, list]], values: dict) -> tuple[str, list]:
    """The SQL that ``build(values)`` returns, built once per ``key`` (marked to run prepared), with ``values``
    put in its parameters."""
    compiled = _compiled.get(key)
    if compiled is None:
        sentinels = {name: _sentinel(n, name, value) for n, (name, value) in enumerate(values.items())}
        sql, params = build(sentinels)
        params = list(params)
        slots = {name: [n for n, p in enumerate(params) if p == sentinel] for name, sentinel in sentinels.items()}
        compiled = _compiled[key] = (prepared.marked(sql), params, slots)
    sql, params, slots = compiled
    params = list(params)
    for name, positions in slots.items():
        for position in positions:
            params[position] = values[name]
    return sql, params


def run(key: Hashable, build: Callable[[dict], QuerySet], values: dict) -> list:
    """The rows of the queryset ``build(values)`` makes, compiled once per ``key``, as the model's instances with
    the annotations as attributes (what ``Model.objects.raw`` gives; the rows' layout is worked out once too)."""

    def sql_of(sentinels: dict) -> tuple[str, list]:
        queryset = build(sentinels)
        _models[key] = queryset.model
        return queryset.query.sql_with_params()

    sql, params = statement(key, sql_of, values)
    return raw(_models[key], sql, params, key=key)


def raw(model, sql: str, params: list, *, key: Hashable) -> list:
    """``model.objects.raw(sql, params)`` as a list, the rows' layout worked out once per ``key``."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        layout = _layouts.get((key, alias))
        if layout is None:
            layout = _layouts[(key, alias)] = _layout(model, [column[0] for column in cursor.description], alias)
    names, positions, annotations, converters = layout
    instances = []
    for row in rows:
        if converters:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        instance = model.from_db(alias, names, [row[position] for position in positions])
        for column, position in annotations:
            setattr(instance, column, row[position])
        instances.append(instance)
    return instances


_layouts: dict[tuple, tuple] = {}


def _layout(model, columns: list[str], alias: str) -> tuple:
    """Which columns make the model's fields (names and positions), which are annotations, and the converters
    Django applies to the fields' values (as ``RawModelIterable`` works them out for every query)."""
    raw = RawQuerySet("", model=model, using=alias)
    raw.__dict__["columns"] = columns  # a cached_property: the SQL is not run again
    names, positions, annotations = raw.resolve_model_init_order()
    if model._meta.pk.attname not in names:
        raise FieldDoesNotExist("Raw query must include the primary key")
    connection = connections[alias]
    compiler = connection.ops.compiler("SQLCompiler")(raw.query, connection, alias)
    fields = [raw.model_fields.get(column) for column in columns]
    converters = compiler.get_converters([f.get_col(f.model._meta.db_table) if f else None for f in fields])
    return names, positions, annotations, sorted(converters.items())


def _sentinel(n: int, name: str, value):
    """A value of the same kind as ``value`` that no real parameter equals (the ``n``-th value)."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: a bool cannot be told from the others; make it part of the key")
    if isinstance(value, int):
        return -(2**62) - n
    if isinstance(value, datetime):
        return datetime(1901, 1, 1, tzinfo=UTC) + timedelta(seconds=n)
    if isinstance(value, list):
        return [f"\x01{name}\x01"]
    return f"\x01{name}\x01"
