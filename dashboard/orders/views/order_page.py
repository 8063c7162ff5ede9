"""The desk's order page and every action on it: transitions (mark paid, hold and cancel with their reasons),
notes, assignment, editing addresses, answering inquiries, recording an invoice payment, retrying a card.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from dashboard.orders.forms import (
    AssignForm,
    CancelForm,
    CardRetryForm,
    DetailsForm,
    HoldForm,
    InquiryAnswerForm,
    InvoicePaymentForm,
    MarkPaidForm,
    NoteForm,
    TransitionForm,
)
from dashboard.orders.selectors import bulk_orders_get, order_get_for_desk, order_notes_get, staff_for_assignment
from oms.access import staff_required
from oms.exceptions import ConflictError, DomainError, InvalidInput, NotFound
from oms.form_errors import form_errors_add
from orders import services
from orders.exceptions import OrderNotFound, TransitionForbidden
from orders.models import Order, OrderStatus
from orders.services.desk import BUSY, EDITABLE, order_assign, order_details_update, order_note_add
from payments.models import Payment

TRANSITION_LABELS = {
    "mark_paid": "Mark paid",
    "start_fulfillment": "Start fulfillment",
    "ship": "Ship",
    "complete": "Complete",
    "release": "Release hold",
    "hold": "Put on hold",
    "cancel": "Cancel order",
}


def _order(number: str) -> Order:
    try:
        return order_get_for_desk(number=number)
    except OrderNotFound:
        raise Http404("No such order.") from None


def _order_id(number: str) -> int:
    ids = bulk_orders_get(numbers=[number.strip().upper()]) if "\x00" not in number else {}
    if not ids:
        raise Http404("No such order.")
    return next(iter(ids.values()))


def _label(choices, value: str) -> str:
    """The human name of a payment code; an unknown (retired) code shows as it is."""
    return choices(value).label if value in choices.values else value


def _detail_context(request: HttpRequest, order: Order, **forms) -> dict:
    user = request.user
    transitions = [
        {**t, "label": TRANSITION_LABELS[t["name"]]} for t in services.transitions_available(order=order, user=user)
    ]
    names = {t["name"] for t in transitions}
    can_change = user.has_perm("orders.change_order")
    return {
        "order": order,
        "payment_method_label": _label(Payment.Method, order.payment_method),
        "payment_status_label": _label(Payment.Status, order.payment_status),
        "transitions": [t for t in transitions if t["name"] not in ("hold", "cancel", "mark_paid")],
        "can_mark_paid": "mark_paid" in names,
        "can_hold": "hold" in names,
        "can_cancel": "cancel" in names,
        "can_pack": order.status == OrderStatus.FULFILLING and user.has_perm("orders.ship_order"),
        "can_edit": can_change and order.status in EDITABLE,
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
    }


@require_safe
@staff_required("orders.view_order")
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(number)
    return render(request, "dashboard/desk/order_detail.html", _detail_context(request, order))


def _detail_again(request: HttpRequest, number: str, *, status: int = 400, **forms) -> HttpResponse:
    """The order page again, with the submitted form and its errors beside the fields."""
    order = _order(number)
    return render(request, "dashboard/desk/order_detail.html", _detail_context(request, order, **forms), status=status)


def _to_detail(number: str) -> HttpResponse:
    return redirect("dashboard:order_detail", number=number.upper())


@require_POST
@staff_required("orders.view_order")
def order_transition(request: HttpRequest, number: str) -> HttpResponse:
    """Take one transition from the order page's buttons; hold and cancel need their reason."""
    name = request.POST.get("name", "")
    if name not in TRANSITION_LABELS:
        raise Http404("Unknown transition.")
    order_id = _order_id(number)
    hold_reason = None
    if name == "mark_paid":
        return _mark_paid(request, number, order_id)
    if name == "hold":
        form = HoldForm(request.POST)
        if not form.is_valid():
            return _detail_again(request, number, hold_form=form, open_form="hold") if _may(request, name) else _deny()
        reason, hold_reason = form.cleaned_data["reason"], form.cleaned_data["hold_reason"]
    elif name == "cancel":
        form = CancelForm(request.POST)
        if not form.is_valid():
            return (
                _detail_again(request, number, cancel_form=form, open_form="cancel") if _may(request, name) else _deny()
            )
        reason = form.cleaned_data["reason"]
    else:
        form = TransitionForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        order = services.order_transition(
            order_id=order_id, name=name, user=request.user, reason=reason, hold_reason=hold_reason
        )
    except TransitionForbidden:
        raise PermissionDenied from None
    except OperationalError:
        messages.error(request, BUSY)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{TRANSITION_LABELS[name]}: order {order.number} is now {order.get_status_display().lower()}."
        )
    return _to_detail(number)


def _may(request: HttpRequest, name: str) -> bool:
    permission = {"hold": "orders.hold_order", "cancel": "orders.cancel_order", "mark_paid": "orders.mark_paid"}[name]
    return request.user.has_perm(permission)


def _mark_paid(request: HttpRequest, number: str, order_id: int) -> HttpResponse:
    """Finance marks a bank transfer order paid, with the day the funds arrived and the bank's reference."""
    if not _may(request, "mark_paid"):
        raise PermissionDenied

    def act(order_id: int, data: dict) -> Order:
        return services.order_mark_paid(
            order_id=order_id, user=request.user, received_on=data["received_on"], reference=data["reference"]
        )

    def told(order: Order) -> tuple[int, str]:
        return messages.SUCCESS, f"Mark paid: order {order.number} is now {order.get_status_display().lower()}."

    form = MarkPaidForm(request.POST)
    return _finance_action(request, number, "paid", form, act, told, possible=services.mark_paid_possible)


def _deny() -> HttpResponse:
    raise PermissionDenied


@require_POST
@staff_required("orders.view_order")
def order_note_add_view(request: HttpRequest, number: str) -> HttpResponse:
    order_id = _order_id(number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            order_note_add(order_id=order_id, user=request.user, body=form.cleaned_data["body"])
        except InvalidInput as exc:
            form_errors_add(form, exc)
    if not form.is_valid():
        if request.htmx:
            return _notes_partial(request, order_id, form, status=400)
        return _detail_again(request, number, note_form=form)
    if request.htmx:
        return _notes_partial(request, order_id, NoteForm(), saved=True)
    messages.success(request, "Note added.")
    return _to_detail(number)


def _notes_partial(request: HttpRequest, order_id: int, form: NoteForm, *, status: int = 200, saved=False):
    order = Order.objects.only("number").get(pk=order_id)
    context = {"order": order, "notes": order_notes_get(order_id=order_id), "note_form": form, "saved": saved}
    return render(request, "dashboard/desk/_notes.html", context, status=status)


@require_POST
@staff_required("orders.view_order", "orders.change_order")
def order_assign_view(request: HttpRequest, number: str) -> HttpResponse:
    order_id = _order_id(number)
    form = AssignForm(request.POST, staff=staff_for_assignment())
    error = None
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            order = order_assign(order_id=order_id, user=request.user, assignee_id=assignee.pk if assignee else None)
        except OperationalError:
            error = BUSY
        except DomainError as exc:
            error = exc.message
    else:
        error = "Choose a staff member."
    if request.htmx:
        order = Order.objects.select_related("assigned_to").get(pk=order_id)
        form = AssignForm(initial={"assignee": order.assigned_to_id}, staff=staff_for_assignment())
        context = {"order": order, "assign_form": form, "assign_error": error, "saved": error is None}
        return render(request, "dashboard/desk/_assign.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        who = order.assigned_to
        messages.success(request, f"Assigned to {who.get_full_name() or who.username}." if who else "Unassigned.")
    return _to_detail(number)


@staff_required("orders.view_order", "orders.change_order")
def order_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Edit the addresses and special instructions while the warehouse has not started on the order."""
    order = _order(number)
    if order.status not in EDITABLE:
        messages.error(request, "Addresses and instructions can only change before fulfillment starts.")
        return _to_detail(number)
    if request.method == "POST":
        form = DetailsForm(request.POST, initial=DetailsForm.initial_for(order))
        if form.is_valid():
            try:
                changes = order_details_update(
                    order_id=order.pk,
                    user=request.user,
                    shipping=form.address("ship"),
                    billing=form.address("bill"),
                    notes=form.cleaned_data["notes"],
                )
            except InvalidInput as exc:
                form_errors_add(form, exc)
            except OperationalError:
                messages.error(request, BUSY)
                return _to_detail(number)
            except ConflictError as exc:
                messages.error(request, exc.message)
                return _to_detail(number)
            else:
                messages.success(request, f"Saved {len(changes)} change(s)." if changes else "Nothing changed.")
                return _to_detail(number)
        status = 400
    else:
        form = DetailsForm(initial=DetailsForm.initial_for(order))
        status = 200
    return render(request, "dashboard/desk/order_edit.html", {"order": order, "form": form}, status=status)


@require_POST
@staff_required("orders.view_order", "orders.answer_inquiry")
def order_inquiry_answer(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    order_id = _order_id(number)
    form = InquiryAnswerForm(request.POST)
    if form.is_valid():
        if not Order.objects.filter(pk=order_id, inquiries__pk=pk).exists():
            raise Http404("No such inquiry on this order.")
        try:
            services.inquiry_answer(inquiry_id=pk, user=request.user, answer=form.cleaned_data["answer"])
        except InvalidInput as exc:
            form_errors_add(form, exc)
        except NotFound:
            raise Http404("No such inquiry.") from None
        except DomainError as exc:
            messages.error(request, exc.message)
            return _to_detail(number)
        else:
            messages.success(request, "Answer sent to the customer.")
            return _to_detail(number)
    return _detail_again(request, number, answer_forms={pk: form})


# --- finance: on-account invoices and failed card payments ----------------------------------------------
@require_POST
@staff_required("orders.view_order", "orders.mark_paid")
def order_invoice_settle_view(request: HttpRequest, number: str) -> HttpResponse:
    """Finance records that the customer paid the order's on-account invoice."""

    def act(order_id: int, data: dict) -> Order:
        return services.order_invoice_settle(
            order_id=order_id, user=request.user, received_on=data["received_on"], reference=data["reference"]
        )

    def told(order: Order) -> tuple[int, str]:
        return (
            messages.SUCCESS,
            f"Invoice payment recorded: order {order.number} is paid ({order.total} {order.currency}).",
        )

    form = InvoicePaymentForm(request.POST)
    return _finance_action(request, number, "invoice", form, act, told, possible=services.invoice_settle_possible)


@require_POST
@staff_required("orders.view_order", "orders.release_order")
def order_payment_retry_view(request: HttpRequest, number: str) -> HttpResponse:
    """The desk pays an order held for a failed payment with a new card; the answer comes at once."""

    def act(order_id: int, data: dict) -> Order:
        return services.order_payment_retry(
            order_id=order_id, token=data["token"], actor=request.user.get_username(), user=request.user
        )

    form = CardRetryForm(request.POST)
    return _finance_action(
        request, number, "retry", form, act, _retry_outcome, possible=services.payment_retry_possible
    )


def _finance_action(request: HttpRequest, number: str, name: str, form, act, told, *, possible) -> HttpResponse:
    """Form → ``act`` (the service) → the message ``told`` gives → the order page; bad input beside the fields.

    A refusal (wrong state, already done) is a message on the order page; a busy order says try again.
    """
    order_id = _order_id(number)
    if form.is_valid():
        try:
            order = act(order_id, form.cleaned_data)
        except TransitionForbidden:
            raise PermissionDenied from None
        except InvalidInput as exc:
            form_errors_add(form, exc)
        except OperationalError:
            messages.error(request, BUSY)
            return _to_detail(number)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _to_detail(number)
        else:
            messages.add_message(request, *told(order))
            return _to_detail(number)
    return _form_again(request, number, name, form, possible=possible)


def _retry_outcome(order: Order) -> tuple[int, str]:
    if order.status == OrderStatus.ON_HOLD:
        return (
            messages.ERROR,
            f"The new card did not pay either: {order.hold_note} Order {order.number} is on hold again.",
        )
    if order.status == OrderStatus.CREDIT_APPROVED:
        return messages.WARNING, (
            f"The card gateway did not answer yet; order {order.number} is paid automatically once it does."
        )
    return messages.SUCCESS, (
        f"The new card was authorized: order {order.number} is {order.get_status_display().lower()}."
    )


def _form_again(request: HttpRequest, number: str, name: str, form, *, possible) -> HttpResponse:
    """The order page with the form and its errors, or, if the action is no longer possible, a message."""
    order = _order(number)
    if not possible(order=order):
        messages.error(request, f"Nothing to do: order {order.number} is {order.get_status_display().lower()} now.")
        return _to_detail(number)
    context = _detail_context(request, order, **{f"{name}_form": form, "open_form": name})
    return render(request, "dashboard/desk/order_detail.html", context, status=400)
