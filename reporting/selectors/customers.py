"""Customers: satisfaction from the portal ratings (CSAT) and how many customers come back.

- ``average``, ``distribution`` (1–5): ratings given in the window, for orders within the filter's scope.
- ``response_rate``: of the orders delivered in the window, the share rated (by now).
- ``trend``: ratings given per week (Monday), every week of the window present.
- ``repeat_rate``: of the customers who ordered in the window, the share with two orders or more by its end
  (an earlier order, or a second one in the window): those with an order in the window that is their second or
  later (``OrderFact.customer_seq``).
"""

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek

from oms.db_router import read_from_replica
from orders.models import Feedback
from reporting.filters import shop_tz
from reporting.models import OrderFact
from reporting.selectors.rollups import rate, scope_q
from reporting.selectors.sales import periods
from reporting.selectors.scope import order_scope_q

RATINGS = (1, 2, 3, 4, 5)


def _ratings(filters):
    return Feedback.objects.filter(
        order_scope_q(filters, "order__"), created_at__gte=filters.start, created_at__lt=filters.end
    ).order_by()


def csat_summary(*, filters) -> dict:
    """Average rating, distribution and response rate (see the module's docstring)."""
    totals = _ratings(filters).aggregate(
        responses=Count("pk"), average=Avg("rating"), **{f"r{n}": Count("pk", filter=Q(rating=n)) for n in RATINGS}
    )
    delivered = OrderFact.objects.filter(scope_q(filters), delivered_day__range=(filters.date_from, filters.date_to))
    counts = {
        "delivered": delivered.count(),
        "rated": Feedback.objects.filter(order_id__in=delivered.values("order_id")).count(),
    }
    return {
        "responses": totals["responses"],
        "average": round(totals["average"], 2) if totals["average"] is not None else None,
        "distribution": [{"rating": n, "responses": totals[f"r{n}"]} for n in RATINGS],
        "delivered": counts["delivered"],
        "rated": counts["rated"],
        "response_rate": rate(counts["rated"], counts["delivered"]),
    }


def csat_trend(*, filters) -> list[dict]:
    """Per week of the window: ``responses`` and ``average`` rating (None in a week without ratings)."""
    rows = {
        row["week"].date(): row
        for row in _ratings(filters)
        .annotate(week=TruncWeek("created_at", tzinfo=shop_tz()))
        .values("week")
        .annotate(responses=Count("pk"), average=Avg("rating"))
    }
    trend = []
    for week in periods(filters, "week"):
        row = rows.get(week)
        trend.append(
            {
                "week": week,
                "responses": row["responses"] if row else 0,
                "average": round(row["average"], 2) if row else None,
            }
        )
    return trend


def csat_comments(*, filters, rating: int | None = None, limit: int = 20) -> list[Feedback]:
    """The latest ratings with a comment, newest first, optionally of one ``rating``."""
    comments = _ratings(filters).exclude(comment="").select_related("order").order_by("-created_at", "-pk")
    if rating is not None:
        comments = comments.filter(rating=rating)
    return list(comments[:limit])


def repeat_customers(*, filters) -> dict:
    """Customers who ordered in the window and how many of them have two orders or more by its end: one scan of
    the window's facts (an order whose ``customer_seq`` is 2 or more has an earlier one, in the window or not)."""
    counts = OrderFact.objects.filter(
        scope_q(filters), placed_day__range=(filters.date_from, filters.date_to)
    ).aggregate(
        total=Count("customer_id", distinct=True),
        returning=Count("customer_id", distinct=True, filter=Q(customer_seq__gte=2)),
    )
    total, returning = counts["total"], counts["returning"]
    return {"customers": total, "repeat": returning, "repeat_rate": rate(returning, total)}


@read_from_replica()
def customers_report(*, filters, rating: int | None = None) -> dict:
    """Everything the Customers page shows."""
    return {
        "csat": csat_summary(filters=filters),
        "trend": csat_trend(filters=filters),
        "comments": csat_comments(filters=filters, rating=rating),
        "repeat": repeat_customers(filters=filters),
    }
