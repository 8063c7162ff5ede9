"""Team: who moved orders along and how fast customers' questions are answered.

- ``handled``: status changes in the window made by staff members (the timeline's actor is their username;
  automatic steps, customers, storefronts and carriers are left out), per staff member and transition (the
  status reached).
- ``inquiries``: portal questions open now (within the filter's scope), and of those asked in the window how
  many were answered and the median and average hours to the answer.
"""

from statistics import median

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from oms.db_router import read_from_replica
from orders.models import Inquiry, OrderEvent, OrderStatus
from reporting.selectors.scope import hours_between, order_scope_q


def orders_handled(*, filters) -> list[dict]:
    """Per staff member: ``transitions`` ({status reached: orders}) and their total ``events``.

    Staff are the users with ``is_staff``; the timeline names them by username. Automatic steps (``system``),
    customers, storefronts and carriers are left out. Read through the (actor, at) index of status changes.
    """
    staff = list(get_user_model().objects.filter(is_staff=True).values_list("username", flat=True))
    events = (
        OrderEvent.objects.filter(
            order_scope_q(filters, "order__"), actor__in=staff, at__gte=filters.start, at__lt=filters.end
        )
        .exclude(to_status="")
        .order_by()
    )
    people: dict[str, dict] = {}
    # Counting a column the index holds lets PostgreSQL answer from the index alone.
    for row in events.values("actor", "to_status").annotate(events=Count("to_status")):
        person = people.setdefault(row["actor"], {"actor": row["actor"], "transitions": {}, "events": 0})
        person["transitions"][row["to_status"]] = row["events"]
        person["events"] += row["events"]
    return sorted(people.values(), key=lambda person: (-person["events"], person["actor"]))


def transitions_seen(handled: list[dict]) -> list[tuple[str, str]]:
    """The statuses reached in ``handled``, in lifecycle order, with their labels (the table's columns)."""
    seen = {status for person in handled for status in person["transitions"]}
    return [(code, label) for code, label in OrderStatus.choices if code in seen]


def inquiry_summary(*, filters) -> dict:
    """Open questions now and the answer times of those asked in the window (see the module's docstring)."""
    scope = order_scope_q(filters, "order__")
    open_now = Inquiry.objects.filter(scope, answered_at__isnull=True).order_by().count()
    asked = Inquiry.objects.filter(scope, created_at__gte=filters.start, created_at__lt=filters.end).order_by()
    counts = asked.aggregate(asked=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    hours = [
        hours_between(created, answered)
        for created, answered in asked.filter(answered_at__isnull=False).values_list("created_at", "answered_at")
    ]
    by_staff = list(
        asked.filter(answered_by__isnull=False)
        .values("answered_by__username")
        .annotate(answers=Count("pk"))
        .order_by("-answers", "answered_by__username")
    )
    return {
        "open": open_now,
        "asked": counts["asked"],
        "answered": counts["answered"],
        "median_hours": round(median(hours), 1) if hours else None,
        "average_hours": round(sum(hours) / len(hours), 1) if hours else None,
        "by_staff": by_staff,
    }


@read_from_replica()
def team_report(*, filters) -> dict:
    """Everything the Team page shows."""
    handled = orders_handled(filters=filters)
    return {"handled": handled, "transitions": transitions_seen(handled), "inquiries": inquiry_summary(filters=filters)}
