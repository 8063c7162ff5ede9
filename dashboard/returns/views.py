"""The Returns area: work queues, the return page with one button per allowed transition, and staff opening a
return for a customer from the order page.

Thin views: they parse, call one selector or service (``returns.services``, money's ``refund_preview``) and
answer through ``oms.page_actions``; who may take which transition is the service's rule (403 otherwise).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.orders.views.detail import order_or_404
from dashboard.returns.forms import (
    ClaimForm,
    InspectForm,
    ReceiveForm,
    RejectForm,
    ReturnOpenForm,
    service_errors_add,
)
from dashboard.returns.selectors import (
    QUEUES,
    return_queue,
    return_queue_counts,
    return_refusal,
    returnable_lines,
    warehouses_for_receipt,
)
from oms.access import staff_required
from oms.page_actions import page_action
from returns.links import return_label_path
from returns.models import OpenedBy, ReturnRequest
from returns.selectors import return_get
from returns.services import return_request_create, return_transition, return_transitions_available
from returns.services.claims import CLAIMABLE, claim_refund, claim_reship

VIEW = "returns.view_returnrequest"
PER_PAGE = 50
LABELS = {
    "authorize": "Authorize",
    "reject": "Reject",
    "receive": "Receive",
    "inspect": "Record inspection",
    "refund": "Refund",
    "exchange": "Send the replacement",
    "close": "Close",
    "cancel": "Cancel return",
}
# Transitions that take input: their form, filled from the POST.
FORMS = {
    "reject": lambda data, r: RejectForm(data),
    "receive": lambda data, r: ReceiveForm(data, warehouses=warehouses_for_receipt()),
    "inspect": lambda data, r: InspectForm(data, return_request=r),
}


def _return_or_404(number: str) -> ReturnRequest:
    found = return_get(number=number)
    if found is None:
        raise Http404(f"No return {number}.")
    return found


@require_safe
@staff_required(VIEW)
def returns_list(request):
    """One queue at a time (``?queue=``), the longest waiting first; the tabs count every queue."""
    queue = request.GET.get("queue") if request.GET.get("queue") in QUEUES else "authorize"
    page = Paginator(return_queue(queue=queue), PER_PAGE).get_page(request.GET.get("page"))
    counts = return_queue_counts()
    tabs = [(name, title, counts[name]) for name, (title, _) in QUEUES.items()]
    context = {
        "queue": queue,
        "title": QUEUES[queue][0],
        "tabs": tabs,
        "page_obj": page,
        "querystring": f"queue={queue}",
    }
    return render(request, "dashboard/returns/list.html", context)


def _detail(request, r: ReturnRequest, *, status: int = 200, **forms) -> HttpResponse:
    transitions = return_transitions_available(return_request=r, user=request.user)
    names = {t["name"] for t in transitions}
    preview = None
    if "refund" in names:
        from returns.services.resolution import refund_preview  # money's module, loaded on first use

        preview = refund_preview(return_request=r)
    context = {
        "r": r,
        "order": r.order,
        "buttons": [{**t, "label": LABELS[t["name"]]} for t in transitions if t["name"] not in FORMS],
        "names": names,
        "reject_form": forms.get("reject") or RejectForm(),
        "receive_form": forms.get("receive") or ReceiveForm(warehouses=warehouses_for_receipt()),
        "inspect_form": forms.get("inspect") or (InspectForm(return_request=r) if "inspect" in names else None),
        "preview": preview,
        "label_path": return_label_path(r.number) if r.label_tracking_number else "",
    }
    return render(request, "dashboard/returns/detail.html", context, status=status)


@require_safe
@staff_required(VIEW)
def return_detail(request, number: str):
    """The return: its lines, the refund preview when a refund is due, its timeline and what may be done now."""
    return _detail(request, _return_or_404(number))


@require_POST
@staff_required(VIEW)
def return_act(request, number: str, name: str):
    """Take the transition ``name``: 403 without its permission, a message when it is not open now."""
    r = _return_or_404(number)
    form = FORMS[name](request.POST, r) if name in FORMS else None

    def params() -> dict:
        if name == "reject":
            return {"reason": form.cleaned_data["reason"]}
        if name == "receive":
            return {"warehouse": form.cleaned_data["warehouse"]}
        if name == "inspect":
            return {"lines": form.lines()}
        return {}

    return page_action(
        request,
        form=form,
        act=lambda: return_transition(return_request=r, name=name, user=request.user, **params()),
        told=lambda done: f"Return {done.number}: {done.get_status_display().lower()}.",
        back=lambda: redirect("dashboard:return_detail", number=r.number),
        again=lambda bad: _detail(request, _return_or_404(number), status=400, **{name: bad}),
        errors_add=service_errors_add,
    )


@require_http_methods(["GET", "POST"])
@staff_required(VIEW, "returns.open_return")
def order_return_new(request, number: str):
    """Open a return for the customer (phone, email): the same rules as the portal and the API."""
    order = order_or_404(number)
    form = ReturnOpenForm(request.POST if request.method == "POST" else None, lines=returnable_lines(order=order))

    def page(form: ReturnOpenForm) -> HttpResponse:
        context = {"order": order, "form": form, "refusal": return_refusal(order)}
        return render(request, "dashboard/returns/new.html", context, status=400 if form.is_bound else 200)

    if request.method != "POST":
        return page(form)
    return page_action(
        request,
        form=form,
        act=lambda: return_request_create(
            order=order,
            lines=form.lines(),
            resolution=form.cleaned_data["resolution"],
            exchange_lines=form.exchange_lines(),
            opened_by=OpenedBy.STAFF,
            user=request.user,
        ),
        done=lambda r: _opened(request, r),
        back=lambda: redirect("dashboard:order_detail", number=order.number),
        again=page,
        errors_add=service_errors_add,
    )


def _opened(request, r: ReturnRequest) -> HttpResponse:
    messages.success(request, f"Return {r.number} opened: {r.get_status_display().lower()}.")
    return redirect("dashboard:return_detail", number=r.number)


@require_http_methods(["GET", "POST"])
@staff_required("orders.view_order", any_of=("returns.open_return", "returns.refund_return"))
def order_claim_new(request, number: str):
    """A claim on a parcel lost or damaged on the way: reship or refund without waiting for the goods."""
    order = order_or_404(number)
    form = ClaimForm(request.POST if request.method == "POST" else None, lines=list(order.lines.all()))

    def page(form: ClaimForm) -> HttpResponse:
        context = {"order": order, "form": form, "claimable": order.status in CLAIMABLE}
        return render(request, "dashboard/returns/claim.html", context, status=400 if form.is_bound else 200)

    def act():
        settle = claim_reship if form.cleaned_data["action"] == ClaimForm.RESHIP else claim_refund
        return settle(order=order, lines=form.lines(), user=request.user, note=form.cleaned_data["note"])

    def done(result) -> HttpResponse:
        if form.cleaned_data["action"] == ClaimForm.RESHIP:
            messages.success(request, f"Claim settled: replacement order {result.number} placed at no charge.")
        else:
            messages.success(request, f"Claim settled: {result} {order.currency} refunded.")
        return redirect("dashboard:order_detail", number=order.number)

    if request.method != "POST":
        return page(form)
    return page_action(
        request,
        form=form,
        act=act,
        done=done,
        back=lambda: redirect("dashboard:order_detail", number=order.number),
        again=page,
        errors_add=service_errors_add,
    )
