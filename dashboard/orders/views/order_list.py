"""The desk's order list: filters, search and paging, and the bulk actions on the selected orders."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from dashboard.orders.forms import BulkActionForm, OrderFilterForm, bulk_actions_for
from dashboard.orders.selectors import OVERDUE_HINT, bulk_orders_get, order_page_for_desk
from oms.access import staff_required
from oms.db_router import read_from_replica
from oms.page_actions import page_action
from orders.services.desk import BULK_MAX, orders_bulk_transition

BULK_SESSION_KEY = "desk_bulk_results"


def _list_context(request: HttpRequest, params: QueryDict) -> dict:
    form = OrderFilterForm(params, user=request.user)
    form.is_valid()
    filters = form.filters()
    page = order_page_for_desk(filters=filters, page=params.get("page", 1))
    query = {k: v for k, v in params.items() if k != "page" and v}
    customer_name = None
    if filters.customer:
        customer_name = next((o.customer.name for o in page.object_list), None) or f"#{filters.customer}"
    return {
        "form": form,
        "page_obj": page,
        "orders": page.object_list,
        "querystring": urlencode(query),
        "querystring_without_customer": urlencode({k: v for k, v in query.items() if k != "customer"}),
        "querystring_without_sku": urlencode({k: v for k, v in query.items() if k != "sku"}),
        "filtered": any(k != "sort" for k in query),
        "bulk_actions": bulk_actions_for(request.user),
        "bulk_form": BulkActionForm(),
        "bulk_max": BULK_MAX,
        "customer_name": customer_name,
        "sku": filters.sku,
        "queue_hint": OVERDUE_HINT if filters.queue == "overdue" else "",
    }


@require_safe
@staff_required("orders.view_order")
@read_from_replica()
def order_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request, request.GET)
    context["bulk_results"] = request.session.pop(BULK_SESSION_KEY, None)
    if request.htmx and not request.htmx.boosted:
        return render(request, "dashboard/desk/_results.html", context)
    return render(request, "dashboard/desk/order_list.html", context)


@require_POST
@staff_required("orders.view_order")
def order_bulk(request: HttpRequest) -> HttpResponse:
    """Run one action on the selected orders and report, per order, what happened.

    Without JavaScript the report travels in the session to the list (PRG); with htmx the list is read
    again and returned with the report above it.
    """
    form = BulkActionForm(request.POST)
    query = _safe_query(request.POST.get("query", ""))
    action = request.POST.get("action", "")
    if action and action not in dict(bulk_actions_for(request.user)):
        raise PermissionDenied
    if action == "pick_list" and form.is_valid():
        numbers = bulk_orders_get(numbers=form.numbers)
        url = (
            reverse("dashboard:pick_list")
            + "?"
            + urlencode({"orders": ",".join(n for n in form.numbers if n in numbers)})
        )
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    def answer(errors: list[str], summary: dict | None) -> HttpResponse:
        if request.htmx:
            context = _list_context(request, QueryDict(query.lstrip("?")))
            context.update(bulk_results=summary, errors=errors)
            return render(request, "dashboard/desk/_results.html", context)
        for error in errors:
            messages.error(request, error)
        if summary:
            request.session[BULK_SESSION_KEY] = summary
        return redirect(reverse("dashboard:order_list") + query)

    def done(results: list) -> HttpResponse:
        summary = {
            "action": dict(bulk_actions_for(request.user))[action],
            "rows": [{"number": r.number, "ok": r.ok, "message": r.message} for r in results],
            "done": sum(r.ok for r in results),
            "refused": sum(not r.ok for r in results),
        }
        return answer([], summary)

    return page_action(
        request,
        form=form,
        act=lambda: orders_bulk_transition(
            numbers=form.numbers,
            name=action,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
            hold_reason=form.cleaned_data.get("hold_reason") or None,
        ),
        done=done,
        back=lambda: answer([], None),
        again=lambda form: answer([e for field_errors in form.errors.values() for e in field_errors], None),
        errors_add=lambda form, exc: form.add_error(None, exc.message),
    )


def _safe_query(query: str) -> str:
    """Only a query string (never another path or host) is carried back to the list."""
    query = query.lstrip("?")
    if not query or any(c in query for c in "/\\\r\n:"):
        return ""
    return "?" + query
