"""Staff dashboard pages for stock: the stock list, low stock, the ledger per SKU, adjustments, receipts and bins.

Thin views: a selector reads, a form parses, a service writes through the ledger. Inventory does not import
``orders`` (DESIGN.md), so the dashboard's access rule is restated here with Django's own decorators.
"""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from dashboard.inventory.forms import StockAdjustForm, StockBinForm, StockReceiveForm
from inventory import selectors
from inventory.models import Product, StockMovement
from inventory.services import stock_adjust, stock_item_bin_set, stock_receive_into
from oms.access import staff_required
from oms.db_router import read_from_replica
from oms.page_actions import page_action

PAGE_SIZE = 25
LEDGER_PAGE_SIZE = 50
# Movements whose reference is the number of the order that reserved, released or shipped the units.
ORDER_KINDS = (StockMovement.Kind.RESERVE, StockMovement.Kind.RELEASE, StockMovement.Kind.SHIP)
# Movements whose reference is a transfer's number.
TRANSFER_KINDS = (
    StockMovement.Kind.TRANSFER_PICK,
    StockMovement.Kind.TRANSFER_RELEASE,
    StockMovement.Kind.TRANSFER_OUT,
    StockMovement.Kind.TRANSFER_IN,
)
LOW_SCOPES = {"warehouse": "per warehouse", "total": "in total over all warehouses"}


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    """(page, querystring of the other parameters) for the pager."""
    params = request.GET.copy()
    params.pop("page", None)
    return Paginator(queryset, size).get_page(request.GET.get("page")), params.urlencode()


def documents_by_status(request: HttpRequest, *, rows: Callable, statuses, template: str) -> HttpResponse:
    """A list of stock documents (transfers, count sheets) filtered by one of ``statuses`` (choices), paged;
    ``rows(status=...)`` reads them ("" for all)."""
    status = request.GET.get("status", "")
    status = status if status in dict(statuses) else ""
    context = {
        "page_obj": Paginator(rows(status=status), PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": f"status={status}" if status else "",
        "status": status,
        "statuses": statuses,
    }
    return render(request, template, context)


def _filters(request: HttpRequest) -> dict:
    return {"q": request.GET.get("q", "").strip(), "warehouse": request.GET.get("warehouse", "").strip()}


@require_safe
@staff_required("inventory.view_stockitem")
@read_from_replica()
def stock_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    rows = selectors.stock_item_list_for_staff(query=filters["q"], warehouse=filters["warehouse"])
    page, querystring = _page(request, rows)
    context = {
        "page_obj": page,
        "querystring": querystring,
        "filters": filters,
        "warehouses": selectors.warehouse_list(),
    }
    template = "dashboard/inventory/_stock_rows.html" if request.htmx else "dashboard/inventory/stock_list.html"
    return render(request, template, context)


@require_safe
@staff_required("inventory.view_stockitem")
@read_from_replica()
def stock_low(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    scope = request.GET.get("scope") if request.GET.get("scope") in LOW_SCOPES else "warehouse"
    if scope == "total":
        rows = selectors.product_list_low_in_total()
    else:
        rows = selectors.stock_item_list_low(warehouse=filters["warehouse"])
    page, querystring = _page(request, rows)
    context = {
        "page_obj": page,
        "querystring": querystring,
        "filters": filters,
        "scope": scope,
        "scope_label": LOW_SCOPES[scope],
        "warehouses": selectors.warehouse_list(),
    }
    return render(request, "dashboard/inventory/stock_low.html", context)


def _product_or_404(sku: str) -> Product:
    product = selectors.product_get_by_sku(sku=sku)
    if product is None:
        raise Http404("No such SKU.")
    return product


def _forms(request: HttpRequest, product: Product, items, data=None) -> dict:
    """The change forms this user may use, bound to ``data`` when given (keyed by prefix)."""
    user, forms = request.user, {}
    if user.has_perm("inventory.adjust_stock"):
        forms["adjust"] = StockAdjustForm(data, items=items, prefix="adjust")
    if user.has_perm("inventory.receive_stock"):
        warehouses = selectors.warehouse_list_for_receipt(product_id=product.pk)
        forms["receive"] = StockReceiveForm(data, warehouses=warehouses, items=items, prefix="receive")
    if user.has_perm("inventory.change_stockitem"):
        forms["bin"] = StockBinForm(data, items=items, prefix="bin")
    return forms


def _ledger(request: HttpRequest, product: Product, *, bound=None, status: int = 200):
    """The ledger page; ``bound`` is a (prefix, form) pair with the user's input and errors."""
    items = selectors.stock_item_list_for_product(product_id=product.pk)
    warehouse = request.GET.get("warehouse", "").strip()
    page, querystring = _page(
        request, selectors.stock_movement_list_for_product(product_id=product.pk, warehouse=warehouse), LEDGER_PAGE_SIZE
    )
    forms = _forms(request, product, items)
    if bound is not None:
        forms[bound[0]] = bound[1]
    context = {
        "product": product,
        "items": items,
        "page_obj": page,
        "querystring": querystring,
        "warehouse": warehouse,
        "order_kinds": ORDER_KINDS,
        "transfer_kinds": TRANSFER_KINDS,
        "in_transit": selectors.transfer_lines_in_transit(product_id=product.pk),
        "in_transit_total": selectors.product_in_transit_total(product_id=product.pk),
        "adjust_form": forms.get("adjust"),
        "receive_form": forms.get("receive"),
        "bin_form": forms.get("bin"),
        "bin_changes": selectors.stock_item_bin_changes(product_id=product.pk) if items else [],
    }
    return render(request, "dashboard/inventory/stock_ledger.html", context, status=status)


@require_safe
@staff_required(any_of=("inventory.view_stockmovement", "inventory.view_stockitem"))
def stock_ledger(request: HttpRequest, sku: str) -> HttpResponse:
    return _ledger(request, _product_or_404(sku))


def _stock_change_view(prefix: str, permission: str, apply: Callable, done: Callable[..., str]):
    """A POST view for one of the ledger page's forms (``prefix``): parse it, write through the ledger service
    ``apply(request, product, data)``, PRG with the message ``done(sku, data, result)``; on bad input the ledger
    page again with the errors beside the fields.
    """

    @require_POST
    @staff_required("inventory.view_stockitem", permission)
    def view(request: HttpRequest, sku: str) -> HttpResponse:
        product = _product_or_404(sku)
        items = selectors.stock_item_list_for_product(product_id=product.pk)
        form = _forms(request, product, items, data=request.POST)[prefix]
        return page_action(
            request,
            form=form,
            act=lambda: apply(request, product, form.cleaned_data),
            told=lambda result: done(sku, form.cleaned_data, result),
            back=lambda: redirect("dashboard:stock_ledger", sku=product.sku),
            again=lambda form: _ledger(request, product, bound=(prefix, form), status=400),
        )

    return view


def _adjust(request: HttpRequest, product: Product, data: dict):
    return stock_adjust(
        stock_item_id=data["stock_item"].pk, delta=data["delta"], reason=data["reason"], actor=request.user.username
    )


def _adjusted(sku: str, data: dict, item) -> str:
    return (
        f"Adjusted {sku} in {data['stock_item'].warehouse.code} by {data['delta']:+}: "
        f"now {item.on_hand} on hand, {item.available} available."
    )


def _receive(request: HttpRequest, product: Product, data: dict):
    return stock_receive_into(
        product_id=product.pk,
        warehouse_id=data["warehouse"].pk,
        quantity=data["quantity"],
        reason=data["reason"],
        bin_location=data["bin_location"],
        actor=request.user.username,
    )


def _received(sku: str, data: dict, result: tuple) -> str:
    item, created = result
    code = data["warehouse"].code
    new = f" {code} did not stock it before: new stock row" if created else ""
    if created and item.bin_location:
        new += f" in bin {item.bin_location}"
    return (
        f"Received {data['quantity']} × {sku} into {code}: now {item.on_hand} on hand, {item.available} available."
        + (new + "." if new else "")
    )


def _bin_set(request: HttpRequest, product: Product, data: dict):
    return stock_item_bin_set(stock_item_id=data["stock_item"].pk, bin_location=data["bin_location"], user=request.user)


def _bin_moved(sku: str, data: dict, item) -> str:
    if item.bin_location:
        return f"{sku} in {item.warehouse.code} is now in bin {item.bin_location}."
    return f"{sku} in {item.warehouse.code} has no bin location now."


stock_adjust_view = _stock_change_view("adjust", "inventory.adjust_stock", _adjust, _adjusted)
stock_receive_view = _stock_change_view("receive", "inventory.receive_stock", _receive, _received)
stock_bin_view = _stock_change_view("bin", "inventory.change_stockitem", _bin_set, _bin_moved)
