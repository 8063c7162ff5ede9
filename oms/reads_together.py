"""Several small reads in one statement: capped counts and short lists of ids, each with its own conditions,
order and limit, sent to the database as one ``UNION ALL`` and split again by read.

A page that shows many counts and queue heads (the desk's home) pays one round trip, and one statement for
the database to plan, instead of one per read; each read still runs through its own index. The querysets are
compiled by the ORM as they would be alone (PostgreSQL and SQLite alike) and put inside ``FROM ( ... )``,
where an ``ORDER BY`` and a ``LIMIT`` keep their meaning.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class Read:
    """One read: the rows of ``queryset`` counted (``counted``, up to ``limit`` when given), or the integers
    of its one column listed (``queryset`` sliced and ordered as wanted, e.g. ``values_list("pk", flat=True)``).
    """

    queryset: QuerySet
    counted: bool = False
    limit: int | None = None


def counted(queryset: QuerySet, limit: int | None = None) -> Read:
    """The number of rows of ``queryset``, counting no further than ``limit`` (a bounded index read)."""
    return Read(queryset, counted=True, limit=limit)


def listed(queryset: QuerySet) -> Read:
    """The integers ``queryset`` lists (one column), in no particular order: callers sort."""
    return Read(queryset)


def read_together(reads: list[Read]) -> list[list[int]]:
    """What each of ``reads`` found, in one statement: a count is a list of one number, ids a list of ids.

    A read whose condition no row can meet (``pk__in=[]``) is answered without asking the database.
    """
    found: list[list[int]] = [[0] if read.counted else [] for read in reads]
    if not reads:
        return found
    using = reads[0].queryset.db
    sent, parts, params = [], [], []
    for i, read in enumerate(reads):
        queryset = read.queryset
        if read.counted:
            if read.limit is not None and read.limit <= 0:
                continue
            queryset = queryset.order_by().values("pk")
            if read.limit is not None:
                queryset = queryset[: read.limit]
        try:
            sql, read_params = queryset.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            continue
        if read.counted:
            sql = f"SELECT COUNT(*) FROM ({sql}) counted_{i}"
        sent.append(i)
        parts.append(f"SELECT {i}, read_{i}.* FROM ({sql}) read_{i}")
        params.extend(read_params)
    if parts:
        with connections[using].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        for i in sent:
            found[i] = []
        for i, value in rows:
            found[i].append(value)
    return found
