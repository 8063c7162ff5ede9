"""Order entry on the dashboard: phone, email and in-store orders placed through ``order_place``.

One form does it all. Every button posts the whole form with an ``action``: ``place`` places the order;
``customer:<pk>``, ``customer:clear``, ``add:<sku>``, ``remove:<sku>`` and ``refresh`` change what is shown
and re-render it, unbound (no errors until staff try to place). With htmx the same posts come back as the
form partial and only the changed regions are swapped in; without JavaScript the page simply reloads.

A form token makes placing idempotent: a double click or a resubmitted page places one order, and the
second request lands on the same order.
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.response import Response

from dashboard.customers.selectors import customer_credit, customer_get, customer_last_address, customer_search
from dashboard.entry.forms import SHIP_FIELDS, OrderEntryForm, line_errors, lines_from
from dashboard.entry.selectors import (
    basket_for_entry,
    customer_with_email,
    order_for_entry_message,
    placed_order_number,
    shipping_method_list,
)
from inventory.selectors import product_stock_search
from oms.access import staff_required
from oms.exceptions import ConflictError
from oms.idempotency import run_idempotent
from orders.exceptions import InvalidOrder
from orders.models import Customer, Order, OrderStatus
from orders.services import AddressInput, PlacementInput, order_place
from payments.models import Payment

PAGE = "dashboard/entry/order_new.html"
PARTIAL = "dashboard/entry/_order_form.html"
# How long a second submit of the same form waits for the first to finish before saying so.
WAIT_FOR_FIRST_SECONDS = 5.0


def _customer(value) -> Customer | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return customer_get(pk=pk) if pk > 0 else None


def _prefill_address(data, customer: Customer) -> None:
    """Fill an untouched shipping address from the customer's latest order (or address book)."""
    if any(data.get(f"ship_{name}", "").strip() for name in SHIP_FIELDS):
        return
    address = customer_last_address(customer_id=customer.pk)
    if address is None:
        data["ship_name"] = customer.name
        return
    for name in SHIP_FIELDS:
        data[f"ship_{name}"] = getattr(address, name)


def _with_line(lines: list[tuple[str, str]], sku: str) -> list[tuple[str, str]]:
    """Add one unit of ``sku``: a new row, or one more on its row."""
    for index, (existing, text) in enumerate(lines):
        if existing == sku:
            bumped = str(int(text) + 1) if text.strip().isdigit() else "1"
            return [*lines[:index], (sku, bumped), *lines[index + 1 :]]
    return [*lines, (sku, "1")]


def _context(request: HttpRequest, *, data, lines, customer, form=None, row_errors=None, basket_errors=()) -> dict:
    methods = shipping_method_list()
    basket = basket_for_entry(
        lines=lines,
        shipping_method=data.get("shipping_method", ""),
        country=data.get("ship_country", "").strip(),
        methods=methods,
    )
    quotes = {q.method.code: q.price for q in basket.quotes}
    if form is None:
        initial = {name: data.get(name) for name in OrderEntryForm.base_fields if data.get(name) is not None}
        form = OrderEntryForm(initial=initial, methods=methods, customer=customer, quotes=quotes)
    for index, row in enumerate(basket.rows):
        row.errors = list((row_errors or {}).get(index, []))
    credit = customer_credit(customer=customer) if customer is not None and customer.on_account else None
    customer_query = data.get("customer_q", "").strip()
    return {
        "form": form,
        "basket": basket,
        "basket_errors": list(basket_errors),
        "customer": customer,
        "credit": credit,
        "over_credit": bool(
            credit and data.get("payment_method") == Payment.Method.ON_ACCOUNT and basket.total > credit.remaining
        ),
        "customer_query": customer_query,
        "customer_results": customer_search(query=customer_query) if customer is None else [],
        "product_query": data.get("product_q", "").strip(),
        "product_results": product_stock_search(query=data.get("product_q", "")),
    }


def _render(request: HttpRequest, *, status: int = 200, **kwargs) -> HttpResponse:
    template = PARTIAL if request.htmx else PAGE
    return render(request, template, _context(request, **kwargs), status=status)


@require_http_methods(["GET", "POST"])
@staff_required("orders.add_order")
def order_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        customer = _customer(request.GET.get("customer"))
        methods = shipping_method_list()
        default_method = next((m.code for m in methods if m.code == "standard"), methods[0].code if methods else "")
        data = {"channel": "phone", "payment_method": Payment.Method.CARD, "shipping_method": default_method}
        if settings.OMS_SHIP_PARTIAL_DEFAULT:
            data["ship_partial"] = "on"  # an unticked box is simply absent from later posts
        if customer is not None:
            data["customer"] = str(customer.pk)
            _prefill_address(data, customer)
        return _render(request, data=data, lines=[], customer=customer)

    data = request.POST.copy()
    lines = lines_from(data)
    customer = _customer(data.get("customer"))
    action = data.get("action", "refresh")
    if action == "place":
        return _place(request, data=data, lines=lines, customer=customer)
    if action.startswith("customer:"):
        customer = None if action == "customer:clear" else _customer(action.removeprefix("customer:"))
        data["customer"] = str(customer.pk) if customer else ""
        if customer is not None:
            data["customer_q"] = ""
            _prefill_address(data, customer)
            if data.get("payment_method") == Payment.Method.ON_ACCOUNT and not customer.on_account:
                data["payment_method"] = Payment.Method.CARD
    elif action.startswith("add:"):
        lines = _with_line(lines, action.removeprefix("add:").strip()[:64])
    elif action.startswith("remove:"):
        lines = [line for line in lines if line[0] != action.removeprefix("remove:")]
    return _render(request, data=data, lines=lines, customer=customer)


def _search_view(kind: str, search: Callable[..., list]):
    """htmx: what the entry form's ``kind`` search box (``<kind>_q``) finds, as ``_<kind>_results.html``."""

    @require_safe
    @staff_required("orders.add_order")
    def view(request: HttpRequest) -> HttpResponse:
        query = request.GET.get(f"{kind}_q", "").strip()
        context = {f"{kind}_query": query, f"{kind}_results": search(query=query)}
        return render(request, f"dashboard/entry/_{kind}_results.html", context)

    return view


# Customers matching the search box, each a button that picks them.
order_new_customers = _search_view("customer", customer_search)
# Products matching the search box with their available stock, in total and per warehouse.
order_new_products = _search_view("product", product_stock_search)


# --- placing ----------------------------------------------------------------------------------------------
def _placement(form: OrderEntryForm, lines, customer: Customer | None) -> PlacementInput:
    data = form.cleaned_data
    return PlacementInput(
        customer_email=customer.email if customer else data["customer_email"],
        customer_name=customer.name if customer else data["customer_name"].strip(),
        customer_phone=customer.phone if customer else data["customer_phone"].strip(),
        customer_id=customer.pk if customer else None,
        lines=[(sku, int(text)) for sku, text in lines],
        shipping_address=AddressInput(**{name: data[f"ship_{name}"].strip() for name in SHIP_FIELDS}),
        shipping_method=data["shipping_method"],
        payment_method=data["payment_method"],
        payment_token=data["payment_token"].strip() if data["payment_method"] == Payment.Method.CARD else "",
        notes=data["notes"].strip(),
        channel=data["channel"],
        ship_partial=data["ship_partial"],
    )


def _errors_from_service(form: OrderEntryForm, fields: dict, row_errors: dict, basket_errors: list) -> None:
    """Put placement's DRF-shaped field errors beside the inputs they belong to."""

    def flat(problem) -> list[str]:
        if isinstance(problem, dict):
            return [m for value in problem.values() for m in flat(value)]
        return [str(m) for m in problem] if isinstance(problem, list) else [str(problem)]

    for name, problem in fields.items():
        if name == "lines" and isinstance(problem, dict):
            for index, line_problem in problem.items():
                row_errors.setdefault(int(index), []).extend(flat(line_problem))
        elif name == "lines":
            basket_errors.extend(flat(problem))
        elif name in ("payment", "shipping_address", "customer") and isinstance(problem, dict):
            prefix = {"payment": "payment_", "shipping_address": "ship_", "customer": "customer_"}[name]
            for sub, messages_ in problem.items():
                target = f"{prefix}{sub}" if f"{prefix}{sub}" in form.fields else None
                for message in flat(messages_):
                    form.add_error(target, message)
        else:
            for message in flat(problem):
                form.add_error(name if name in form.fields else None, message)


def _placed_message(request: HttpRequest, order: Order, *, replayed: bool) -> None:
    if replayed:
        messages.info(request, f"This form was already submitted: order {order.number} was placed once.")
        return
    if order.status == OrderStatus.ON_HOLD:
        why = order.get_hold_reason_display()
        detail = f" {order.hold_note}" if order.hold_note and order.hold_note != why else ""
        messages.warning(request, f"Order {order.number} placed and put on hold: {why}.{detail}")
    elif order.status == OrderStatus.CONFIRMED:
        messages.success(request, f"Order {order.number} placed and confirmed.")
    elif order.payment_method == Payment.Method.BANK_TRANSFER:
        messages.success(request, f"Order {order.number} placed: it is confirmed once the bank transfer arrives.")
    else:
        method = Payment.Method(order.payment_method).label.lower()
        messages.success(request, f"Order {order.number} placed; the {method} payment is being authorized.")


def _to_order(request: HttpRequest, number: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(reverse("dashboard:order_detail", args=[number]))
    return redirect("dashboard:order_detail", number=number)


def _place(request: HttpRequest, *, data, lines, customer: Customer | None) -> HttpResponse:
    methods = shipping_method_list()
    quotes = {
        q.method.code: q.price
        for q in basket_for_entry(lines=lines, methods=methods, country=data.get("ship_country", "")).quotes
    }
    form = OrderEntryForm(data, methods=methods, customer=customer, quotes=quotes)
    row_errors = line_errors(lines)
    basket_errors = [] if lines else ["Add at least one product."]
    valid = form.is_valid()
    if data.get("customer") and customer is None:
        form.add_error(None, "That customer no longer exists; find the customer again.")
        valid = False
    if valid and customer is None and (existing := customer_with_email(email=form.cleaned_data["customer_email"])):
        form.add_error("customer_email", f"{existing.name} already has this email: find and pick them instead.")
        valid = False
    rerender = {"data": data, "lines": lines, "customer": customer, "form": form}
    if not valid or row_errors or basket_errors:
        return _render(request, status=400, row_errors=row_errors, basket_errors=basket_errors, **rerender)

    token = form.cleaned_data["form_token"]
    owner, key = f"dashboard:{request.user.pk}", f"order-new:{token}"
    # The token alone identifies the submission: a resubmitted form goes to the order it placed first.
    fingerprint = hashlib.sha256(key.encode()).hexdigest()
    placement = _placement(form, lines, customer)
    try:
        response = run_idempotent(
            owner=owner,
            key=key,
            fingerprint=fingerprint,
            handler=lambda: Response(
                {"number": order_place(data=placement, actor=request.user.username).number}, status=201
            ),
        )
    except InvalidOrder as exc:
        _errors_from_service(form, exc.fields, row_errors, basket_errors)
        if not exc.fields:
            form.add_error(None, exc.message)
        return _render(request, status=400, row_errors=row_errors, basket_errors=basket_errors, **rerender)
    except ConflictError:  # the first click of a double click is still placing the order
        number = _wait_for_first(owner=owner, key=key)
        if number is None:
            form.add_error(None, "This order is still being placed. Check the order list in a moment.")
            return _render(request, status=409, **rerender)
        _placed_message(request, order_for_entry_message(number=number), replayed=True)
        return _to_order(request, number)
    number = response.data["number"]
    order = order_for_entry_message(number=number)  # re-read: payment may have run since placement committed
    _placed_message(request, order, replayed=response.has_header("Idempotent-Replayed"))
    return _to_order(request, number)


def _wait_for_first(*, owner: str, key: str) -> str | None:
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while time.monotonic() < deadline:
        if number := placed_order_number(owner=owner, key=key):
            return number
        time.sleep(0.2)
    return None
