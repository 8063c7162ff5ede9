"""Warehouse pages: the work list, printable pick lists, packing and shipping, labels and packing slips.

Thin views: they parse, call one selector or service, and render or redirect. The PDFs are drawn by
``shipping.documents`` from plain values gathered here.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.fulfillment.forms import FulfillmentFilterForm, PackForm, QualityCheckForm, parcel_counts
from dashboard.fulfillment.selectors import (
    ShipmentRow,
    fulfillment_counts,
    line_progress_for_order,
    order_get_for_fulfillment,
    order_list_for_fulfillment,
    order_warehouses,
    pack_plan_for_order,
    pick_list_for_orders,
    pick_list_numbers,
    rate_shop_for_order,
    shipment_get_for_documents,
    shipment_list_for_documents,
    shipment_list_for_fulfillment,
    warehouse_list_for_filter,
)
from oms.access import staff_required
from oms.exceptions import NotFound
from oms.page_actions import page_action
from orders.models import Order, OrderStatus
from orders.services import order_pack_and_ship, order_quality_check, order_transition
from shipping.documents import SlipItem, documents_bundle_pdf, label_pdf, packing_slip_pdf
from shipping.models import QualityCheck
from shipping.selectors import quality_check_list_for_order, quality_check_list_pending, quality_check_pending_for_order

PER_PAGE = 50
# States after which an order's parcels exist: the pack page shows them instead of the form.
SHIPPED_STATES = (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.DELIVERED, OrderStatus.COMPLETED)
FULFILLMENT_PERMS = ("orders.start_fulfillment", "orders.ship_order")


def fulfillment_staff_required(view: Callable) -> Callable:
    """Staff who start or ship orders (either permission): the warehouse's pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_staff or not any(user.has_perm(perm) for perm in FULFILLMENT_PERMS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _order_or_404(number: str) -> Order:
    try:
        return order_get_for_fulfillment(number=number)
    except NotFound:
        raise Http404(f"No order {number}.") from None


# --- the work list -----------------------------------------------------------------------------------------
@require_safe
@fulfillment_staff_required
def fulfillment(request):
    """Orders to pack (fulfilling) and to start (confirmed), express first, then by ship-by date."""
    form = FulfillmentFilterForm(request.GET or None, warehouses=warehouse_list_for_filter())
    warehouse = status = None
    if form.is_bound and form.is_valid():
        warehouse, status = form.cleaned_data["warehouse"], form.cleaned_data["status"] or None
    warehouse_id = warehouse.pk if warehouse else None
    page = Paginator(order_list_for_fulfillment(warehouse_id=warehouse_id, status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    codes = order_warehouses(order_ids=[o.pk for o in page.object_list])
    rows = [(order, codes.get(order.pk, [])) for order in page.object_list]
    query = {k: v for k, v in (("warehouse", warehouse_id or ""), ("status", status or "")) if v}
    context = {
        "form": form,
        "rows": rows,
        "page_obj": page,
        "querystring": urlencode(query),
        "counts": fulfillment_counts(warehouse_id=warehouse_id),
        "today": timezone.localdate(),
        "filtered": bool(query),
    }
    if request.htmx and request.htmx.target == "worklist":
        return render(request, "dashboard/fulfillment/_worklist.html", context)
    return render(request, "dashboard/fulfillment/list.html", context)


@require_POST
@staff_required("orders.start_fulfillment")
def fulfillment_start(request, number: str):
    """Start fulfillment of a confirmed order (the same transition the order page offers)."""
    order = _order_or_404(number)

    def then() -> HttpResponse:
        if request.POST.get("then") == "pack":
            return redirect("dashboard:order_pack", number=order.number)
        return redirect("dashboard:fulfillment")

    return page_action(
        request,
        act=lambda: order_transition(order_id=order.pk, name="start_fulfillment", user=request.user),
        told=lambda _order: f"Fulfillment of {order.number} started: pick it, then pack it.",
        back=then,
    )


# --- pick lists --------------------------------------------------------------------------------------------
@require_safe
@fulfillment_staff_required
def pick_list(request):
    """A printable pick list for one or many orders (``?orders=A,B``): per warehouse, in bin order."""
    numbers = pick_list_numbers(request.GET.getlist("orders"))
    picks = pick_list_for_orders(numbers=numbers) if numbers else None
    return render(
        request,
        "dashboard/fulfillment/pick_list.html",
        {"picks": picks, "numbers": ",".join(numbers), "printed_at": timezone.localtime()},
    )


# --- packing and shipping -----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@staff_required("orders.ship_order")
def order_pack(request, number: str):
    """Confirm each line, make the parcels, choose a rate and ship; afterwards, the parcels and their papers."""
    order = _order_or_404(number)
    if order.status != OrderStatus.FULFILLING:
        if request.method == "POST":
            messages.error(request, f"Order {order.number} is {order.get_status_display().lower()}: nothing to pack.")
            return redirect("dashboard:order_pack", number=order.number)
        return _pack_closed(request, order)
    progress = line_progress_for_order(order_id=order.pk)
    # An order shipping in parts: the lines' progress, and the parcels that left already.
    parts = {
        "progress": progress if any(p.shipped or p.backordered for p in progress) else None,
        "shipments": shipment_list_for_fulfillment(order=order),
    }
    parts["pending"] = any(not s.has_label for s in parts["shipments"])
    if quality_check_pending_for_order(order_id=order.pk) is not None:
        if request.method == "POST":
            messages.error(request, f"Order {order.number} is packed and waits for its quality check.")
        return render(request, "dashboard/fulfillment/pack.html", {"order": order, "qc_pending": True, **parts})
    plan = pack_plan_for_order(order_id=order.pk)
    if not plan:
        if request.method == "POST":
            messages.error(request, f"Nothing of order {order.number} is ready to ship: what is left waits for stock.")
        return render(request, "dashboard/fulfillment/pack.html", {"order": order, "waiting_for_stock": True, **parts})
    # "Ship what is available": after this shipment, units still wait for stock.
    ships_part = order.ship_partial and any(p.backordered for p in progress)
    data = request.POST if request.method == "POST" else {}
    counts = parcel_counts(data, plan)
    preview = "add_parcel" in data or "remove_parcel" in data
    form = PackForm(data or None, plan=plan, initial_service=order.shipping_method, counts=counts, preview=preview)
    shop = rate_shop_for_order(order=order, weights_kg=form.parcel_weights())
    form.offer_rates(shop.options, default=shop.default, keep_choice=bool(data))

    def page(form: PackForm) -> HttpResponse:
        context = {
            "order": order,
            "form": form,
            "sections": form.sections(),
            "shop": shop,
            "ships_part": ships_part,
            **parts,
        }
        if request.htmx and request.htmx.target == "pack-form":
            return render(request, "dashboard/fulfillment/_pack_form.html", context)
        return render(request, "dashboard/fulfillment/pack.html", context)

    if request.method != "POST" or preview:
        return page(form)

    return page_action(
        request,
        form=form,
        act=lambda: order_pack_and_ship(
            order_id=order.pk,
            user=request.user,
            parcels=form.parcels(),
            service=form.cleaned_data["service"],
            rate=shop.get(form.cleaned_data["service"]),
            packed=form.packed(),
            reason=form.cleaned_data["reason"],
        ),
        told=lambda done: _pack_told(done),
        back=lambda: redirect(
            "dashboard:order_quality_check"
            if request.user.has_perm("shipping.perform_qc")
            and quality_check_pending_for_order(order_id=order.pk) is not None
            else "dashboard:order_pack",
            number=order.number,
        ),
        # The packer's counts and weights stay on the page: a bad one is told beside it, and a busy order
        # is sent again as it is.
        again=page,
        errors_add=lambda form, exc: form.add_service_errors(exc.fields, exc.message),
        busy_keeps_form=True,
    )


def _pack_told(order: Order) -> str:
    """What the packer is told after pack & ship: shipped, a part shipped, or waiting for its check."""
    if order.status != OrderStatus.FULFILLING:
        return f"Order {order.number} shipped. Print the labels and packing slips."
    if quality_check_pending_for_order(order_id=order.pk) is not None:
        return f"Order {order.number} packed: it ships once its quality check passes."
    left = sum(p.ship_now + p.backordered for p in line_progress_for_order(order_id=order.pk))
    return (
        f"Part of order {order.number} shipped; {left} unit(s) still to ship when stock arrives. "
        "Print the labels and packing slips."
    )


# --- quality control --------------------------------------------------------------------------------------
@require_safe
@staff_required("shipping.perform_qc")
def quality_checks(request):
    """Packed orders waiting for their quality check, oldest packing first."""
    page = Paginator(quality_check_list_pending(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/fulfillment/quality_list.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
@staff_required("shipping.perform_qc")
def order_quality_check_page(request, number: str):
    """The checklist of a packed order: pass ships it as packed; a fail re-picks or holds it."""
    order = _order_or_404(number)
    check = quality_check_pending_for_order(order_id=order.pk)
    history = quality_check_list_for_order(order_id=order.pk)

    def page(form: QualityCheckForm | None) -> HttpResponse:
        status = 400 if form is not None and form.is_bound else 200
        context = {"order": order, "form": form, "history": history}
        return render(request, "dashboard/fulfillment/quality_check.html", context, status=status)

    if check is None:
        if request.method == "POST":
            messages.error(request, f"Order {order.number} has no packing waiting for a quality check.")
            return redirect("dashboard:order_quality_check", number=order.number)
        return page(None)
    form = QualityCheckForm(request.POST if request.method == "POST" else None, check=check)
    if request.method != "POST":
        return page(form)
    return page_action(
        request,
        form=form,
        act=lambda: order_quality_check(
            order_id=order.pk,
            user=request.user,
            results=form.results(),
            on_fail=form.cleaned_data["on_fail"],
            notes=form.cleaned_data["notes"],
        ),
        told=lambda done: _qc_told(done, check),
        back=lambda: redirect("dashboard:order_pack", number=order.number),
        again=page,
    )


def _qc_told(order: Order, check: QualityCheck):
    """What the inspector is told: shipped (whole or a part), held, or back to picking."""
    check.refresh_from_db(fields=["status"])
    if order.status == OrderStatus.ON_HOLD:
        return (messages.WARNING, f"Quality check failed: order {order.number} is on hold.")
    if check.status != QualityCheck.Status.PASSED:
        return (messages.WARNING, f"Quality check failed: re-pick the failed lines of {order.number}.")
    if order.status == OrderStatus.FULFILLING:
        return f"Quality check passed: part of order {order.number} shipped."
    return f"Quality check passed: order {order.number} shipped."


def _pack_closed(request, order: Order):
    """The pack page of an order not in fulfillment: its parcels once shipped, else what to do first."""
    shipments = shipment_list_for_fulfillment(order=order) if order.status in SHIPPED_STATES else []
    return render(
        request,
        "dashboard/fulfillment/pack.html",
        {"order": order, "shipments": shipments, "pending": any(not s.has_label for s in shipments)},
    )


@require_safe
@staff_required("orders.view_order")
def order_shipments(request, number: str):
    """The parcels of a shipped order; the pack page polls this while a label is still being bought."""
    order = _order_or_404(number)
    shipments = shipment_list_for_fulfillment(order=order)
    return render(
        request,
        "dashboard/fulfillment/_shipments.html",
        {"order": order, "shipments": shipments, "pending": any(not s.has_label for s in shipments)},
    )


# --- papers ---------------------------------------------------------------------------------------------------
def _shipment_or_404(pk: int) -> ShipmentRow:
    try:
        return shipment_get_for_documents(pk=pk)
    except NotFound:
        raise Http404(f"No shipment {pk}.") from None


def _ship_to(order: Order) -> list[str]:
    return order.shipping_address.lines()


def _ship_from(row: ShipmentRow) -> list[str]:
    """The sender as the label prints it: the shop and the warehouse, then the street, town and country."""
    warehouse = row.shipment.warehouse
    lines = [
        f"{settings.OMS_SHIP_FROM_NAME} · {warehouse.name} ({warehouse.code})",
        settings.OMS_SHIP_FROM_STREET,
        settings.OMS_SHIP_FROM_CITY,
        settings.OMS_SHIP_FROM_COUNTRY.upper(),
    ]
    return [line.strip() for line in lines if line.strip()]


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@staff_required("orders.view_order")
def shipment_label(request, pk: int):
    """The parcel's shipping label (4×6 in PDF); a friendly 409 while the carrier has not issued it yet."""
    row = _shipment_or_404(pk)
    order = row.shipment.order
    if not row.has_label:
        return render(request, "dashboard/fulfillment/label_pending.html", {"row": row, "order": order}, status=409)
    return _pdf(_label(row), f"label-{order.number}-{row.index}.pdf")


def _label(row: ShipmentRow) -> bytes:
    shipment, order = row.shipment, row.shipment.order
    return label_pdf(
        carrier=row.carrier_name,
        service=row.service_name,
        tracking_number=shipment.tracking_number,
        weight_kg=shipment.weight_kg,
        ship_from=_ship_from(row),
        ship_to=_ship_to(order),
        order_number=order.number,
        parcel_index=row.index,
        parcel_count=row.count,
    )


@require_safe
@staff_required("orders.view_order")
def packing_slip(request, pk: int):
    """The A4 packing slip of one parcel: what is in this box, parcel n of m, and a word to the customer."""
    row = _shipment_or_404(pk)
    return _pdf(_packing_slip(row), f"packing-slip-{row.shipment.order.number}-{row.index}.pdf")


def _packing_slip(row: ShipmentRow) -> bytes:
    order = row.shipment.order
    first_name = (order.customer.name or "").split(" ")[0]
    note = (
        f"Thank you for your order{', ' + first_name if first_name else ''}! "
        + (
            f"It comes in {row.count} parcels, which may arrive separately. "
            if row.count > 1
            else "Everything you ordered is in this parcel. "
        )
        + f"Something missing or not right? Reply to your order confirmation email quoting order {order.number}, "
        "and we will put it right."
    )
    return packing_slip_pdf(
        order_number=order.number,
        order_date=timezone.localdate(order.placed_at),
        ship_to=_ship_to(order),
        ship_from=_ship_from(row),
        items=[SlipItem(sku=i.sku, name=i.name, quantity=i.quantity) for i in row.items],
        parcel_index=row.index,
        parcel_count=row.count,
        note=note,
        instructions=order.notes,
        tracking_number=row.shipment.tracking_number,
        carrier=row.carrier_name,
        service=row.service_name,
    )


@require_safe
@fulfillment_staff_required
def fulfillment_documents(request):
    """Every label and packing slip of the orders selected (``?orders=A,B``) in one PDF, parcel by parcel:
    the label, then its slip. Orders without a label yet are left out; with none at all, a page says so."""
    numbers = pick_list_numbers(request.GET.getlist("orders"))
    rows = shipment_list_for_documents(numbers=numbers) if numbers else []
    if not rows:
        return render(request, "dashboard/fulfillment/documents_none.html", {"numbers": numbers}, status=409)
    content = documents_bundle_pdf([part for row in rows for part in (_label(row), _packing_slip(row))])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _pdf(content, f"labels-and-slips-{stamp}.pdf")
