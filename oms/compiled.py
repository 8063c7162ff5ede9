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


def run(key: Hashable, build: Callable[[dict], QuerySet], values: dict) -> RawQuerySet:
    """The rows of the queryset ``build(values)`` makes, compiled once per ``key``."""

    def sql_of(sentinels: dict) -> tuple[str, list]:
        queryset = build(sentinels)
        _models[key] = queryset.model
        return queryset.query.sql_with_params()

    sql, params = statement(key, sql_of, values)
    return _models[key].objects.raw(sql, params)


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
