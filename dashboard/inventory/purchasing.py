"""Staff dashboard pages for purchasing: suppliers, purchase orders (send, receive, cancel, PDF) and reordering.

Thin views: a selector reads, a form parses, one service of ``inventory.purchasing`` or ``inventory.reorder``
writes. Every page needs ``inventory.manage_purchasing`` (the warehouse and managers); booking a receipt also
needs ``inventory.receive_stock``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.inventory.purchasing_forms import (
    PurchaseOrderForm,
    ReceiveForm,
    SupplierForm,
    line_rows,
    lines_from,
    lines_parse,
)
from inventory import purchasing, reorder, selectors
from inventory.models import PO_ORDERED, PurchaseOrder, PurchaseOrderStatus
from oms.access import staff_required
from oms.exceptions import InvalidInput
from oms.page_actions import page_action

MANAGE = "inventory.manage_purchasing"
RECEIVE = "inventory.receive_stock"
PAGE_SIZE = 25
STATUS_FILTERS = [("", "All"), ("late", "Late"), *PurchaseOrderStatus.choices]
SORTS = {"late": "Late first", "newest": "Newest first"}


# --- suppliers -----------------------------------------------------------------------------------------------
@require_safe
@staff_required(MANAGE)
def supplier_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/inventory/supplier_list.html", {"suppliers": selectors.supplier_list()})


def _supplier_form_page(request: HttpRequest, supplier=None) -> HttpResponse:
    template = "dashboard/inventory/supplier_form.html"
    if request.method == "GET":
        return render(request, template, {"form": SupplierForm(instance=supplier), "supplier": supplier})
    form = SupplierForm(request.POST, instance=supplier)
    return page_action(
        request,
        form=form,
        act=lambda: purchasing.supplier_save(supplier_id=supplier.pk if supplier else None, **form.cleaned_data),
        told=lambda saved: f"Saved the supplier {saved.name}.",
        back=lambda: redirect("dashboard:supplier_list"),
        again=lambda form: render(request, template, {"form": form, "supplier": supplier}, status=400),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(MANAGE)
def supplier_new(request: HttpRequest) -> HttpResponse:
    return _supplier_form_page(request)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(MANAGE)
def supplier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(supplier_id=pk)
    if supplier is None:
        raise Http404("No such supplier.")
    return _supplier_form_page(request, supplier)


# --- purchase orders -----------------------------------------------------------------------------------------
@require_safe
@staff_required(MANAGE)
def purchase_order_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in dict(STATUS_FILTERS) else ""
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "late"
    rows = selectors.purchase_order_list_for_staff(status=status, late_first=sort == "late")
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": params.urlencode(),
        "status": status,
        "statuses": STATUS_FILTERS,
        "sort": sort,
        "sorts": SORTS,
    }
    return render(request, "dashboard/inventory/purchase_order_list.html", context)


def _order_or_404(number: str) -> PurchaseOrder:
    purchase_order = selectors.purchase_order_get(number=number)
    if purchase_order is None:
        raise Http404("No such purchase order.")
    return purchase_order


def _head_form(data=None, *, purchase_order=None, initial=None) -> PurchaseOrderForm:
    sent = purchase_order is not None and purchase_order.status != PurchaseOrderStatus.DRAFT
    return PurchaseOrderForm(
        data,
        initial=initial,
        suppliers=selectors.supplier_list_active(),
        warehouses=selectors.warehouse_list().filter(is_active=True),
        sent=sent,
    )


def _form_page(request, form, purchase_order, rows, *, status: int = 200) -> HttpResponse:
    draft = purchase_order is None or purchase_order.status == PurchaseOrderStatus.DRAFT
    context = {"form": form, "purchase_order": purchase_order, "rows": rows if draft else None}
    return render(request, "dashboard/inventory/purchase_order_form.html", context, status=status)


def _parsed_lines(form: PurchaseOrderForm, typed) -> list[purchasing.LineInput]:
    """The typed lines as service input; InvalidInput naming each bad row (shown above the form)."""
    products = selectors.product_list_with_stock(skus=[row[0] for row in typed])
    lines, problems = lines_parse(typed, products)
    if problems:
        raise InvalidInput(" ".join(problems), fields={"lines": problems})
    return [purchasing.LineInput(product_id=p.pk, quantity=q, unit_cost=c) for p, q, c in lines]


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(MANAGE)
def purchase_order_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, _head_form(initial={"supplier": request.GET.get("supplier")}), None, line_rows(None))
    form, typed = _head_form(request.POST), lines_from(request.POST)

    def act() -> PurchaseOrder:
        data = form.cleaned_data
        return purchasing.purchase_order_create(
            supplier_id=data["supplier"].pk,
            warehouse_id=data["warehouse"].pk,
            user=request.user,
            expected_date=data["expected_date"],
            notes=data["notes"],
            lines=_parsed_lines(form, typed),
        )

    def done(purchase_order: PurchaseOrder) -> HttpResponse:
        messages.success(request, f"Drafted {purchase_order.number}. Check it, then send it to the supplier.")
        return redirect("dashboard:purchase_order_detail", number=purchase_order.number)

    return page_action(
        request,
        form=form,
        act=act,
        done=done,
        back=lambda: redirect("dashboard:purchase_order_list"),
        again=lambda form: _form_page(request, form, None, line_rows(None, typed), status=400),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(MANAGE)
def purchase_order_edit(request: HttpRequest, number: str) -> HttpResponse:
    purchase_order = _order_or_404(number)
    if not purchase_order.is_open:
        messages.error(request, f"{number} is {purchase_order.get_status_display().lower()}: it can no longer change.")
        return redirect("dashboard:purchase_order_detail", number=number)
    if request.method != "POST":
        initial = {
            "supplier": purchase_order.supplier_id,
            "warehouse": purchase_order.warehouse_id,
            "expected_date": purchase_order.expected_date,
            "notes": purchase_order.notes,
        }
        form = _head_form(purchase_order=purchase_order, initial=initial)
        return _form_page(request, form, purchase_order, line_rows(purchase_order))
    form, typed = _head_form(request.POST, purchase_order=purchase_order), lines_from(request.POST)
    draft = purchase_order.status == PurchaseOrderStatus.DRAFT

    def act() -> PurchaseOrder:
        data = form.cleaned_data
        return purchasing.purchase_order_update(
            number=number,
            user=request.user,
            expected_date=data["expected_date"] or purchase_order.expected_date,
            notes=data["notes"],
            supplier_id=data["supplier"].pk if draft else None,
            warehouse_id=data["warehouse"].pk if draft else None,
            lines=_parsed_lines(form, typed) if draft else None,
        )

    return page_action(
        request,
        form=form,
        act=act,
        told=lambda po: f"Saved {po.number}.",
        back=lambda: redirect("dashboard:purchase_order_detail", number=number),
        again=lambda form: _form_page(request, form, purchase_order, line_rows(None, typed), status=400),
    )


def _detail(request: HttpRequest, purchase_order: PurchaseOrder, *, receive_form=None, status: int = 200):
    may_receive = request.user.has_perm(RECEIVE) and purchase_order.status in PO_ORDERED
    if may_receive and receive_form is None:
        receive_form = ReceiveForm(lines=purchase_order.lines.all())
    lines = list(purchase_order.lines.all())
    context = {
        "purchase_order": purchase_order,
        "lines": lines,
        "total": sum((line.line_total for line in lines), 0),
        "receive_form": receive_form if may_receive else None,
        "may_send": purchase_order.status == PurchaseOrderStatus.DRAFT,
        "may_cancel": purchase_order.status in (PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.SENT)
        and not any(line.quantity_received for line in lines),
        "history": selectors.purchase_order_history(purchase_order=purchase_order),
    }
    return render(request, "dashboard/inventory/purchase_order_detail.html", context, status=status)


@require_safe
@staff_required(MANAGE)
def purchase_order_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, _order_or_404(number))


def _action(request: HttpRequest, number: str, service, told) -> HttpResponse:
    _order_or_404(number)
    return page_action(
        request,
        act=lambda: service(number=number, user=request.user),
        told=told,
        back=lambda: redirect("dashboard:purchase_order_detail", number=number),
    )


@require_POST
@staff_required(MANAGE)
def purchase_order_send_view(request: HttpRequest, number: str) -> HttpResponse:
    return _action(
        request,
        number,
        purchasing.purchase_order_send,
        lambda po: f"Sent {po.number}: its PDF is being emailed to {po.supplier.email}.",
    )


@require_POST
@staff_required(MANAGE)
def purchase_order_cancel_view(request: HttpRequest, number: str) -> HttpResponse:
    return _action(request, number, purchasing.purchase_order_cancel, lambda po: f"Cancelled {po.number}.")


@require_POST
@staff_required(MANAGE, RECEIVE)
def purchase_order_receive_view(request: HttpRequest, number: str) -> HttpResponse:
    purchase_order = _order_or_404(number)
    form = ReceiveForm(request.POST, lines=purchase_order.lines.all())

    def told(po: PurchaseOrder) -> str:
        state = "all received" if po.status == PurchaseOrderStatus.RECEIVED else "more to come"
        return f"Booked the receipt against {po.number} into {po.warehouse.code} ({state})."

    return page_action(
        request,
        form=form,
        act=lambda: purchasing.purchase_order_receive(number=number, quantities=form.quantities(), user=request.user),
        told=told,
        back=lambda: redirect("dashboard:purchase_order_detail", number=number),
        again=lambda form: _detail(request, purchase_order, receive_form=form, status=400),
    )


@require_safe
@staff_required(MANAGE)
def purchase_order_pdf_view(request: HttpRequest, number: str) -> HttpResponse:
    filename, pdf = purchasing.purchase_order_pdf_render(purchase_order=_order_or_404(number))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- reordering ----------------------------------------------------------------------------------------------
@require_safe
@staff_required(MANAGE)
def reorder_view(request: HttpRequest) -> HttpResponse:
    groups = reorder.reorder_suggestions_by_supplier()
    context = {"groups": groups, "draftable": any(s is not None and s.is_active for s, _ in groups)}
    return render(request, "dashboard/inventory/reorder.html", context)


@require_POST
@staff_required(MANAGE)
def reorder_draft_view(request: HttpRequest) -> HttpResponse:
    def told(drafts: list[PurchaseOrder]) -> str:
        return f"Drafted {len(drafts)} purchase order(s): " + ", ".join(po.number for po in drafts) + "."

    def done(drafts: list[PurchaseOrder]) -> HttpResponse:
        messages.success(request, told(drafts))
        return redirect(f"{redirect('dashboard:purchase_order_list').url}?status=draft")

    return page_action(
        request,
        act=lambda: reorder.reorder_drafts_create(user=request.user),
        done=done,
        back=lambda: redirect("dashboard:reorder"),
    )
