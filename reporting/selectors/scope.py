"""What the report pages' selectors share: the filter's time window in the shop's time zone and the orders it
scopes (channel, storefront, warehouse), as querysets to aggregate on.

The filter is a ``reporting.filters.ReportFilter``: its ``start``/``end`` are the half-open window in the shop's
time zone; a storefront or warehouse may be a model or its primary key.
"""

from datetime import datetime

from django.db.models import Q, QuerySet

from orders.models import Order
from reporting.models import OrderFact


def _pk(value):
    return getattr(value, "pk", value)


def order_scope_q(filters, prefix: str = "") -> Q:
    """The channel / storefront / warehouse part of the filter as a ``Q`` on orders (``prefix`` reaches them
    from another model, e.g. ``"order__"``). The warehouse is the order's as the rollups count it
    (``OrderFact.warehouse_id``, its first allocation), so every report page narrows by warehouse alike."""
    q = Q()
    if getattr(filters, "channel", None):
        q &= Q(**{f"{prefix}channel": filters.channel})
    if getattr(filters, "storefront", None):
        q &= Q(**{f"{prefix}storefront_id": _pk(filters.storefront)})
    if getattr(filters, "warehouse", None):
        ids = OrderFact.objects.filter(warehouse_id=_pk(filters.warehouse)).values("order_id")
        q &= Q(**{f"{prefix}pk__in": ids})
    return q


def orders_placed(filters) -> QuerySet[Order]:
    """Orders placed in the window (any status) within the filter's scope, unordered for aggregation."""
    return Order.objects.filter(
        order_scope_q(filters), placed_at__gte=filters.start, placed_at__lt=filters.end
    ).order_by()


def hours_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 1)
