"""Changing a placed order's lines from the order page: "Edit lines" (a page of its own: a row per line, add a
row, remove one) and "Cancel part" (a form on the order page). Both call one service through ``page_action``;
a refused line is shown beside its row."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from dashboard.orders.forms import CancelPartForm, LineFormSet, line_rows, line_rows_posted
from dashboard.orders.views.detail import detail_again, order_id_or_404, order_or_404, to_detail
from oms.access import staff_required
from oms.exceptions import DomainError
from oms.page_actions import page_action
from orders import services
from orders.models import Order

TEMPLATE = "dashboard/desk/order_lines.html"
PREFIX = "lines"
NOT_NOW = "The lines of order {number} can no longer change: fulfillment has started or it is cancelled."


def _told(order: Order) -> str:
    if order.status == "cancelled":
        return f"Order {order.number} is cancelled: nothing was left on it. The customer is emailed."
    return f"Order {order.number} changed: it comes to {order.total} {order.currency} now. The customer is emailed."


@staff_required("orders.view_order", "orders.change_lines")
def order_lines_edit(request: HttpRequest, number: str) -> HttpResponse:
    """The order's lines as a form: change quantities, add rows, remove rows; saving replaces the lines."""
    order = order_or_404(number)
    if not services.lines_change_possible(order=order, user=request.user):
        messages.error(request, NOT_NOW.format(number=order.number))
        return to_detail(number)
    if request.method != "POST":
        initial = [{"sku": line.sku, "quantity": line.quantity} for line in order.lines.all()]
        return _page(request, order, LineFormSet(prefix=PREFIX, initial=initial))
    if "add" in request.POST:  # one more empty row, the rows as typed kept; nothing is saved
        return _page(request, order, LineFormSet(prefix=PREFIX, initial=line_rows_posted(request.POST, PREFIX)))
    formset = LineFormSet(request.POST, prefix=PREFIX)

    def act() -> Order:
        lines = [(form.cleaned_data["sku"], form.cleaned_data["quantity"]) for form in line_rows(formset)]
        return services.order_lines_change(
            order_id=order.pk, lines=lines, actor=request.user.get_username(), user=request.user
        )

    return page_action(
        request,
        form=formset,
        act=act,
        told=_told,
        back=lambda: to_detail(number),
        again=lambda formset: _page(request, order, formset, status=400),
        errors_add=_errors_beside_rows,
    )


def _page(request: HttpRequest, order: Order, formset, *, status: int = 200) -> HttpResponse:
    return render(request, TEMPLATE, {"order": order, "formset": formset}, status=status)


def _errors_beside_rows(formset, exc: DomainError) -> None:
    """The service's ``{"lines": {"<index>": {"sku": [...]}}}`` beside the rows that made those lines."""
    rows = line_rows(formset)
    problems = exc.fields.get("lines")
    if isinstance(problems, dict):
        for index, fields in problems.items():
            for field, messages_ in fields.items():
                for message in messages_:
                    rows[int(index)].add_error(field if field in ("sku", "quantity") else None, message)
        return
    formset.page_errors = problems if isinstance(problems, list) else [exc.message]


@require_POST
@staff_required("orders.view_order", "orders.change_lines")
def order_cancel_part(request: HttpRequest, number: str) -> HttpResponse:
    """Cancel some units of some lines (the form on the order page); the rest of the order goes on."""
    order_id = order_id_or_404(number)
    form = CancelPartForm(request.POST)

    def act() -> Order:
        return services.order_lines_cancel(
            order_id=order_id,
            lines=form.cleaned_data["lines"],
            actor=request.user.get_username(),
            user=request.user,
            reason=form.cleaned_data["reason"],
        )

    return page_action(
        request,
        form=form,
        act=act,
        told=_told,
        back=lambda: to_detail(number),
        again=lambda form: detail_again(request, number, cancel_part_form=form, open_form="cancel_part"),
        errors_add=lambda form, exc: _errors_by_sku(form, exc),
    )


def _errors_by_sku(form: CancelPartForm, exc: DomainError) -> None:
    """A refused line above the form, named by its SKU ("MUG-1: Only 2 on the order.")."""
    lines = form.cleaned_data["lines"]
    problems = exc.fields.get("lines")
    if not isinstance(problems, dict):
        form.add_error(None, exc.message)
        return
    for index, fields in problems.items():
        for messages_ in fields.values():
            for message in messages_:
                form.add_error(None, f"{lines[int(index)][0]}: {message}")
