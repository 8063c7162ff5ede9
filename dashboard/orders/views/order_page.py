"""The desk's actions on the order page: transitions (hold and cancel with their reasons), notes, assignment,
editing addresses, answering inquiries. Mark paid, recording an invoice payment and retrying a card are
finance's (``dashboard.finance.views``); the page itself is ``detail``.

Each runs through ``oms.page_actions.page_action``: form → service → message → back to the order page.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from dashboard.finance.views import order_mark_paid_view
from dashboard.orders.forms import (
    AssignForm,
    CancelForm,
    DetailsForm,
    HoldForm,
    InquiryAnswerForm,
    NoteForm,
    TransitionForm,
)
from dashboard.orders.selectors import order_notes_get, staff_for_assignment
from dashboard.orders.views.detail import (
    TRANSITION_LABELS,
    detail_again,
    form_again,
    order_id_or_404,
    order_or_404,
    to_detail,
    transitions_open,
)
from oms.access import staff_required
from oms.page_actions import page_action
from orders import services
from orders.models import Order
from orders.services.desk import (
    EDITABLE,
    order_assign,
    order_details_update,
    order_note_add,
    order_release,
    release_outcome,
)

# The transitions whose reason is a form of its own on the page (the others take an optional note).
REASON_FORMS = {"hold": HoldForm, "cancel": CancelForm}


@require_POST
@staff_required("orders.view_order")
def order_transition(request: HttpRequest, number: str) -> HttpResponse:
    """Take one transition from the order page's buttons; hold and cancel need their reason."""
    name = request.POST.get("name", "")
    if name not in TRANSITION_LABELS:
        raise Http404("Unknown transition.")
    if name == "mark_paid":  # the day the funds arrived and the bank's reference: finance's form
        return order_mark_paid_view(request, number)
    order_id = order_id_or_404(number)
    form = REASON_FORMS[name](request.POST) if name in REASON_FORMS else None
    note = TransitionForm(request.POST)
    note_text = note.cleaned_data["reason"] if form is None and note.is_valid() else ""

    def act() -> Order:
        data = form.cleaned_data if form is not None else {"reason": note_text}
        if name == "release":
            return order_release(order_id=order_id, user=request.user, reason=data["reason"])
        return services.order_transition(
            order_id=order_id, name=name, user=request.user, reason=data["reason"], hold_reason=data.get("hold_reason")
        )

    return page_action(
        request,
        form=form,
        act=act,
        told=lambda order: _told(name, order),
        back=lambda: to_detail(number),
        again=lambda form: form_again(
            request, number, name, form, possible=lambda order: name in transitions_open(request, order)
        ),
    )


def _told(name: str, order: Order) -> str | tuple[int, str]:
    """A release is told by where the order ended (back on hold, and why), the others by their new state."""
    if name == "release":
        in_flow, text = release_outcome(order_id=order.pk)
        return text if in_flow else (messages.WARNING, text)
    return f"{TRANSITION_LABELS[name]}: order {order.number} is now {order.get_status_display().lower()}."


@require_POST
@staff_required("orders.view_order")
def order_note_add_view(request: HttpRequest, number: str) -> HttpResponse:
    order_id = order_id_or_404(number)
    form = NoteForm(request.POST)

    def again(form: NoteForm) -> HttpResponse:
        if request.htmx:
            return _notes_partial(request, order_id, form, status=400)
        return detail_again(request, number, note_form=form)

    def done(_note) -> HttpResponse:
        if request.htmx:
            return _notes_partial(request, order_id, NoteForm(), saved=True)
        messages.success(request, "Note added.")
        return to_detail(number)

    return page_action(
        request,
        form=form,
        act=lambda: order_note_add(order_id=order_id, user=request.user, body=form.cleaned_data["body"]),
        done=done,
        back=lambda: to_detail(number),
        again=again,
    )


def _notes_partial(request: HttpRequest, order_id: int, form: NoteForm, *, status: int = 200, saved=False):
    order = Order.objects.only("number").get(pk=order_id)
    context = {"order": order, "notes": order_notes_get(order_id=order_id), "note_form": form, "saved": saved}
    return render(request, "dashboard/desk/_notes.html", context, status=status)


@require_POST
@staff_required("orders.view_order", "orders.change_order")
def order_assign_view(request: HttpRequest, number: str) -> HttpResponse:
    """Assign the order; with htmx the card comes back in place, saying what went wrong if anything did."""
    order_id = order_id_or_404(number)
    form = AssignForm(request.POST, staff=staff_for_assignment())

    def act() -> Order:
        assignee = form.cleaned_data["assignee"]
        return order_assign(order_id=order_id, user=request.user, assignee_id=assignee.pk if assignee else None)

    def answer(error: str | None, assigned: Order | None = None) -> HttpResponse:
        if request.htmx:
            order = Order.objects.select_related("assigned_to").get(pk=order_id)
            form = AssignForm(initial={"assignee": order.assigned_to_id}, staff=staff_for_assignment())
            context = {"order": order, "assign_form": form, "assign_error": error, "saved": error is None}
            return render(request, "dashboard/desk/_assign.html", context, status=400 if error else 200)
        if error:
            messages.error(request, error)
        else:
            who = assigned.assigned_to
            messages.success(request, f"Assigned to {who.get_full_name() or who.username}." if who else "Unassigned.")
        return to_detail(number)

    def back() -> HttpResponse:
        if request.htmx:  # the message waits on the order page, loaded whole
            return HttpResponseClientRedirect(reverse("dashboard:order_detail", args=[number.upper()]))
        return to_detail(number)

    return page_action(
        request,
        form=form,
        act=act,
        done=lambda order: answer(None, order),
        back=back,
        # A refusal reads above the form (the card has room for one line), a bad choice as one sentence.
        again=lambda form: answer(form.non_field_errors()[0] if form.non_field_errors() else "Choose a staff member."),
        errors_add=lambda form, exc: form.add_error(None, exc.message),
        busy_keeps_form=True,
    )


@staff_required("orders.view_order", "orders.change_order")
def order_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Edit the addresses and special instructions while the warehouse has not started on the order."""
    order = order_or_404(number)
    if order.status not in EDITABLE:
        messages.error(request, "Addresses and instructions can only change before fulfillment starts.")
        return to_detail(number)
    if request.method != "POST":
        form = DetailsForm(initial=DetailsForm.initial_for(order))
        return render(request, "dashboard/desk/order_edit.html", {"order": order, "form": form})
    form = DetailsForm(request.POST, initial=DetailsForm.initial_for(order))

    return page_action(
        request,
        form=form,
        act=lambda: order_details_update(
            order_id=order.pk,
            user=request.user,
            shipping=form.address("ship"),
            billing=form.address("bill"),
            notes=form.cleaned_data["notes"],
        ),
        told=lambda changes: (
            f"Saved {len(changes)} change{pluralize(len(changes))}." if changes else "Nothing changed."
        ),
        back=lambda: to_detail(number),
        again=lambda form: render(
            request, "dashboard/desk/order_edit.html", {"order": order, "form": form}, status=400
        ),
    )


@require_POST
@staff_required("orders.view_order", "orders.answer_inquiry")
def order_inquiry_answer(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    order_id = order_id_or_404(number)
    form = InquiryAnswerForm(request.POST)

    def act():
        if not Order.objects.filter(pk=order_id, inquiries__pk=pk).exists():
            raise Http404("No such inquiry on this order.")
        return services.inquiry_answer(inquiry_id=pk, user=request.user, answer=form.cleaned_data["answer"])

    return page_action(
        request,
        form=form,
        act=act,
        told=lambda _inquiry: "Answer sent to the customer.",
        back=lambda: to_detail(number),
        again=lambda form: detail_again(request, number, answer_forms={pk: form}),
    )
