"""The desk's home page: today's figures and the work queues."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboard.orders.selectors import OVERDUE_HINT, QUEUES, REVENUE_HINT, home_for_user
from oms.access import staff_required
from oms.db_router import read_from_replica
from oms.health import system_status


@require_safe
@staff_required()
@read_from_replica()
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/desk/home.html",
        {
            **home_for_user(user=request.user),
            "queue_names": QUEUES,
            "overdue_hint": OVERDUE_HINT,
            "revenue_hint": REVENUE_HINT,
            "today": timezone.localdate(),
            # What fails first (broker, queues, outbox, replica), for the people who act on it.
            "system": system_status() if request.user.has_perm("orders.view_stuck_orders") else None,
        },
    )
