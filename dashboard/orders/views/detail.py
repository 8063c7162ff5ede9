"""The desk's order page itself: what it shows, and the answers its actions give (back to it, or it again with
a form's errors). The actions are in ``order_page`` and, for finance's, in ``dashboard.finance.views``.
"""

from collections.abc import Callable

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from dashboard.finance.forms import CardRetryForm, InvoicePaymentForm, MarkPaidForm
from dashboard.orders.forms import AssignForm, CancelForm, CancelPartForm, HoldForm, NoteForm
from dashboard.orders.selectors import bulk_orders_get, order_get_for_desk, staff_for_assignment
from oms.access import staff_required
from orders import services
from orders.exceptions import OrderNotFound
from orders.models import Order, OrderStatus
from orders.selectors import lines_expected_dates
from orders.selectors.unpaid import unpaid_cancel_on
from orders.services.desk import EDITABLE
from payments.models import Payment
from returns.selectors import return_list_for_order
from returns.services.claims import CLAIMABLE

TRANSITION_LABELS = {
    "mark_paid": "Mark paid",
    "start_fulfillment": "Start fulfillment",
    "ship": "Ship",
    "complete": "Complete",
    "release": "Release hold",
    "hold": "Put on hold",
    "cancel": "Cancel order",
}
TEMPLATE = "dashboard/desk/order_detail.html"


def order_or_404(number: str) -> Order:
    try:
        return order_get_for_desk(number=number)
    except OrderNotFound:
        raise Http404("No such order.") from None


def order_id_or_404(number: str) -> int:
    ids = bulk_orders_get(numbers=[number.strip().upper()]) if "\x00" not in number else {}
    if not ids:
        raise Http404("No such order.")
    return next(iter(ids.values()))


def transitions_open(request: HttpRequest, order: Order) -> set[str]:
    """The names of the transitions this user may take on the order now (the FSM's state and permissions)."""
    return {t["name"] for t in services.transitions_available(order=order, user=request.user)}


def _label(choices, value: str) -> str:
    """The human name of a payment code; an unknown (retired) code shows as it is."""
    return choices(value).label if value in choices.values else value


def detail_context(request: HttpRequest, order: Order, **forms) -> dict:
    user = request.user
    transitions = [
        {**t, "label": TRANSITION_LABELS[t["name"]]} for t in services.transitions_available(order=order, user=user)
    ]
    names = {t["name"] for t in transitions}
    can_change = user.has_perm("orders.change_order")
    lines = list(order.lines.all())
    expected = lines_expected_dates(lines=lines)
    for line in lines:
        line.expected_date = expected.get(line.pk)
    return {
        "order": order,
        "payment_method_label": _label(Payment.Method, order.payment_method),
        "payment_status_label": _label(Payment.Status, order.payment_status),
        "unpaid_cancel_on": unpaid_cancel_on(order=order),
        "transitions": [t for t in transitions if t["name"] not in ("hold", "cancel", "mark_paid")],
        "can_mark_paid": "mark_paid" in names,
        "can_hold": "hold" in names,
        "can_cancel": "cancel" in names,
        "can_pack": order.status == OrderStatus.FULFILLING and user.has_perm("orders.ship_order"),
        "can_edit": can_change and order.status in EDITABLE,
        "can_change_lines": services.lines_change_possible(order=order, user=user),
        "cancel_part_form": forms.get("cancel_part_form") or CancelPartForm(),
        "can_assign": can_change,
        "can_note": user.has_perm("orders.view_order"),
        "can_answer": user.has_perm("orders.answer_inquiry"),
        "can_view_customer": user.has_perm("orders.view_customer"),
        "paid_form": forms.get("paid_form") or MarkPaidForm(),
        "hold_form": forms.get("hold_form") or HoldForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"assignee": order.assigned_to_id}, staff=staff_for_assignment() if can_change else None),
        "answer_forms": forms.get("answer_forms", {}),
        "open_form": forms.get("open_form", ""),
        "can_settle": user.has_perm("orders.mark_paid") and services.invoice_settle_possible(order=order),
        "can_retry": user.has_perm("orders.release_order") and services.payment_retry_possible(order=order),
        "invoice_form": forms.get("invoice_form") or InvoicePaymentForm(),
        "retry_form": forms.get("retry_form") or CardRetryForm(),
        "returns": return_list_for_order(order=order) if user.has_perm("returns.view_returnrequest") else [],
        "can_open_return": order.status == OrderStatus.DELIVERED and user.has_perm("returns.open_return"),
        "can_claim": order.status in CLAIMABLE
        and (user.has_perm("returns.open_return") or user.has_perm("returns.refund_return")),
    }


@require_safe
@staff_required("orders.view_order")
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    return render(request, TEMPLATE, detail_context(request, order))


def detail_again(request: HttpRequest, number: str, *, status: int = 400, **forms) -> HttpResponse:
    """The order page again, with the submitted form and its errors beside the fields."""
    order = order_or_404(number)
    return render(request, TEMPLATE, detail_context(request, order, **forms), status=status)


def to_detail(number: str) -> HttpResponse:
    return redirect("dashboard:order_detail", number=number.upper())


def form_again(
    request: HttpRequest, number: str, name: str, form: Form, *, possible: Callable[..., bool]
) -> HttpResponse:
    """The order page with the form ``name`` open and its errors; if ``possible(order=...)`` says the action is
    no longer open to this user, a message instead (the form is not on the page any more).
    """
    order = order_or_404(number)
    if not possible(order=order):
        messages.error(request, f"Nothing to do: order {order.number} is {order.get_status_display().lower()} now.")
        return to_detail(number)
    context = detail_context(request, order, **{f"{name}_form": form, "open_form": name})
    return render(request, TEMPLATE, context, status=400)
