"""Reads of the reporting tables that the sales and flow selectors share: scoped facts and rollups."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from reporting.filters import ReportFilter
from reporting.models import DailyRollup, OrderFact


def scope_q(filters: ReportFilter, prefix: str = "") -> Q:
    """Channel, storefront and warehouse of ``filters`` on a fact or rollup row (``prefix`` to reach it)."""
    q = Q()
    if filters.channel:
        q &= Q(**{f"{prefix}channel": filters.channel})
    if filters.storefront is not None:
        q &= Q(**{f"{prefix}storefront_id": filters.storefront})
    if filters.warehouse is not None:
        q &= Q(**{f"{prefix}warehouse_id": filters.warehouse})
    return q


def rollups(filters: ReportFilter) -> QuerySet[DailyRollup]:
    """Daily rollup rows of the range and scope, unordered for aggregation."""
    return DailyRollup.objects.filter(scope_q(filters), day__range=(filters.date_from, filters.date_to)).order_by()


def facts_placed(filters: ReportFilter) -> QuerySet[OrderFact]:
    """Fact rows of orders placed in the range and scope, unordered for aggregation."""
    return OrderFact.objects.filter(scope_q(filters), placed_day__range=(filters.date_from, filters.date_to)).order_by()


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to four places, or None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None
