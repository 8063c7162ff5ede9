"""Orders that change after placement: a new set of lines, or part of them cancelled.

Both run one use case: under the order's row lock (then its stock rows, in primary-key order) the new lines
are checked against the catalog, priced (``order_price``: lines already on the order keep the unit price the
customer was given, new lines take the catalog's; shipping by weight and tax are quoted again), stock is
re-reserved by the difference, the payment follows the new total, the timeline gets one entry saying
before → after, and the customer is emailed. Allowed until the warehouse starts work (``lines_may_change``).

A card whose authorization is smaller than the new total is authorized again for the new total *before*
anything is written, with no lock held while the gateway answers. Declined: the change is refused
(PaymentDeclined, 422) and the order stays exactly as it was. Authorized: the change is applied if the order
is still as it was (else the new authorization is voided and the change refused with 409), and the old
authorization is voided once the change has committed.
"""

import logging
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from inventory.exceptions import OutOfStock
from inventory.models import Product, StockItem
from inventory.services import StockRequest, stock_arrived, stock_release, stock_reserve
from oms.exceptions import ConflictError
from orders.exceptions import InvalidOrder, TransitionForbidden
from orders.models import HOLDABLE, Customer, HoldReason, LineAllocation, Order, OrderLine, OrderStatus
from orders.pricing import Price, order_price, price_errors
from orders.services.catalog import catalog_read
from orders.services.common import (
    PAYMENT_SUMMARY_FIELDS,
    SYSTEM,
    event_record,
    notify,
    order_lock,
    payment_summary_sync,
    transition_apply,
)
from orders.services.lifecycle import order_cancel_by_system
from orders.services.notifications import ORDER_UPDATED, order_hold_notify
from orders.services.placement import MAX_QUANTITY
from payments.exceptions import GatewayUnavailable
from payments.models import GatewayTransaction, Payment
from payments.services import (
    credit_check,
    payment_amount_change,
    payment_authorization_request,
    payment_authorization_swap,
    payment_authorization_void,
)
from shipping.selectors import shipping_method_get

logger = logging.getLogger(__name__)

PERMISSION = "orders.change_lines"
EDITED = "Lines changed"
PART_CANCELLED = "Part cancelled"
MONEY_FIELDS = ["subtotal", "shipping_total", "tax_rate", "tax_total", "total", "updated_at"]
# Payment methods whose authorization is asked again when the total grows past it.
REAUTHORIZED = (Payment.Method.CARD, Payment.Method.CASH)

Lines = list[tuple[str, int]]


@dataclass
class _Edit:
    """What a change makes of a locked order: its new lines, priced, beside the lines it has now."""

    wanted: Lines  # the new lines, in the order asked for
    current: dict[str, OrderLine]  # the lines now, by SKU
    products: dict[str, Product]
    price: Price | None  # None: every line cancelled


def lines_change_possible(*, order: Order, user=None) -> bool:
    """The order's lines may change now (by ``user``, when one is given: staff need ``orders.change_lines``)."""
    return order.lines_may_change and (user is None or user.has_perm(PERMISSION))


def order_lines_change(*, order_id: int, lines: Lines, actor: str, user=None) -> Order:
    """Replace the order's lines with ``lines`` ((sku, quantity) pairs: the complete new set).

    Refused with InvalidOrder naming the line (``{"lines": {"1": {"sku": [...]}}}``; nothing written) for an
    unknown SKU, one not for sale (unless already on the order and not growing), a duplicate, a quantity out of
    range, no lines, or stock short for an increase on an order that does not ship in parts; with a conflict
    (409) once fulfillment started or the order is cancelled; TransitionForbidden when ``user`` (staff) lacks
    ``orders.change_lines`` (a storefront passes no user). The same lines again change nothing.
    """
    _may_change(user)
    _input_check(lines, allow_empty=False)
    return _change(order_id=order_id, actor=actor, wanted=lambda current: list(lines), verb=EDITED)


def order_lines_cancel(*, order_id: int, lines: Lines, actor: str, user=None, reason: str = "") -> Order:
    """Cancel part of the order: ``lines`` are (sku, quantity) to take off; a line reaching 0 goes.

    Stock is released, totals recomputed and the payment follows (an authorization captures less, a paid
    transfer shows the refund due). Taking off every remaining unit cancels the whole order (staff need
    ``orders.cancel_order`` for that too). Refused like ``order_lines_change``; also InvalidOrder for an SKU
    not on the order or more than is on its line.
    """
    _may_change(user)
    _input_check(lines, allow_empty=False)

    def remaining(current: dict[str, OrderLine]) -> Lines:
        errors = {}
        for index, (sku, quantity) in enumerate(lines):
            line = current.get(sku)
            if line is None:
                errors[str(index)] = {"sku": [f"'{sku}' is not on this order."]}
            elif quantity > line.quantity:
                errors[str(index)] = {"quantity": [f"Only {line.quantity} on the order."]}
        if errors:
            raise InvalidOrder("The lines to cancel are not valid.", fields={"lines": errors})
        off = dict(lines)
        kept = [(sku, line.quantity - off.get(sku, 0)) for sku, line in current.items()]
        return [(sku, quantity) for sku, quantity in kept if quantity > 0]

    return _change(order_id=order_id, actor=actor, wanted=remaining, verb=PART_CANCELLED, reason=reason, user=user)


def _may_change(user) -> None:
    if user is not None and not user.has_perm(PERMISSION):
        raise TransitionForbidden("You do not have permission to change the lines of orders.")


def _input_check(lines: Lines, *, allow_empty: bool) -> None:
    """The shape every caller must respect (the API's serializer says the same): quantities in range, each SKU
    once, at least one line."""
    if not lines and not allow_empty:
        raise InvalidOrder("At least one line is required.", fields={"lines": ["At least one line is required."]})
    errors: dict = {}
    seen = set()
    for index, (sku, quantity) in enumerate(lines):
        if not 0 < quantity <= MAX_QUANTITY:
            errors.setdefault(str(index), {})["quantity"] = [f"Must be between 1 and {MAX_QUANTITY}."]
        if sku in seen:
            errors.setdefault(str(index), {})["sku"] = [f"'{sku}' appears twice; put the whole quantity on one line."]
        seen.add(sku)
    if errors:
        raise InvalidOrder("The lines are not valid.", fields={"lines": errors})


def _change(
    *, order_id: int, actor: str, wanted: Callable[[dict], Lines], verb: str, reason: str = "", user=None
) -> Order:
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        edit = _prepare(order, wanted)
        if edit is None:
            return order
        if edit.price is None:
            if user is not None and not user.has_perm("orders.cancel_order"):
                raise TransitionForbidden("You do not have permission to cancel orders.")
            return order_cancel_by_system(order, actor=actor, reason=reason or "Every line cancelled")
        payment = _authorization_to_raise(order, edit.price.total)
        if payment is None:
            return _apply(order, edit, actor=actor, verb=verb, reason=reason)
        _rehearse(order, edit, actor=actor)
        payment_id, total, held = payment.pk, edit.price.total, payment.authorized_amount
    # The card must hold more: ask with no lock held (the gateway may take seconds). A decline refuses here,
    # with nothing written but the gateway's log.
    grant = payment_authorization_request(payment_id=payment_id, amount=total)
    applied = False
    try:
        with transaction.atomic():
            order = order_lock(order_id=order_id)
            edit = _prepare(order, wanted)
            payment = _authorization_to_raise(order, total) if edit is not None and edit.price is not None else None
            if payment is None or payment.pk != payment_id or edit.price.total != total:
                raise ConflictError(
                    f"Order {order.number} changed while its card was being authorized; reload it and try again.",
                    code="order_changed",
                )
            replaced = payment.gateway_reference
            _apply(order, edit, actor=actor, verb=verb, reason=reason, grant=grant)
        applied = True
    finally:
        if not applied:
            _void(order_id, payment_id, grant.reference, total)
    _void(order_id, payment_id, replaced, held)
    return order


def _rehearse(order: Order, edit: _Edit, *, actor: str) -> None:
    """Re-reserve the stock and roll it back: a change the stock refuses is refused before the card is asked.
    (What was queued for after commit in the rolled-back savepoint is dropped with it.)"""
    savepoint = transaction.savepoint()
    try:
        _restock(order, edit, actor=actor)
    finally:
        transaction.savepoint_rollback(savepoint)


def _void(order_id: int, payment_id: int, reference: str, amount: Decimal) -> None:
    """Let go of an authorization no longer used; if the gateway does not answer, the timeline says so (it
    lapses at the card issuer)."""
    try:
        payment_authorization_void(payment_id=payment_id, reference=reference, amount=amount)
    except GatewayUnavailable as exc:
        logger.warning("Could not void authorization %s of payment %s: %s", reference, payment_id, exc.message)
        with transaction.atomic():
            event_record(
                order=order_lock(order_id=order_id),
                actor=SYSTEM,
                note=f"Could not void the card authorization {reference} of {amount} ({exc.message}); "
                "it lapses at the card issuer.",
            )


def _prepare(order: Order, wanted: Callable[[dict], Lines]) -> _Edit | None:
    """The change checked and priced on the locked order; None when it changes nothing."""
    if not order.lines_may_change:
        state = order.get_status_display().lower()
        if order.status == OrderStatus.ON_HOLD:
            state = "on hold after fulfillment started"
        raise ConflictError(f"Order {order.number} is {state}: its lines can no longer change.", code="too_late")
    current = {line.sku: line for line in order.lines.order_by("pk")}
    lines = wanted(current)
    if dict(lines) == {sku: line.quantity for sku, line in current.items()}:
        return None
    if not lines:
        return _Edit(wanted=[], current=current, products={}, price=None)
    errors, products, *_ = catalog_read(skus=[sku for sku, _ in lines], shipping_method=None)
    line_errors = errors.get("lines", {})
    seen = set()
    for index, (sku, quantity) in enumerate(lines):
        product = products.get(sku)
        kept = sku in current and quantity <= current[sku].quantity and sku not in seen
        if kept and product is not None and not product.is_active:
            line_errors.pop(str(index), None)  # off sale since, still theirs: it may stay or shrink
        seen.add(sku)
    if line_errors:
        raise InvalidOrder("The lines are not valid.", fields={"lines": line_errors})
    price = order_price(
        lines=[(_agreed(products[sku], current.get(sku)), quantity) for sku, quantity in lines],
        method=shipping_method_get(code=order.shipping_method),
        country=order.shipping_address.country,
    )
    if problems := price_errors(price):
        raise InvalidOrder("The order is not valid.", fields=problems)
    return _Edit(wanted=lines, current=current, products=products, price=price)


def _agreed(product: Product, line: OrderLine | None) -> Product:
    """The product as the order prices it: at the unit price the line was sold at, when it is on the order."""
    if line is None:
        return product
    priced = copy(product)
    priced.price = line.unit_price
    return priced


def _authorization_to_raise(order: Order, total: Decimal) -> Payment | None:
    """The order's authorized card (or till) payment when it holds less than ``total``."""
    payment = order.payments.order_by("-pk").first()
    if (
        payment is not None
        and payment.method in REAUTHORIZED
        and payment.status == Payment.Status.AUTHORIZED
        and total > payment.authorized_amount
    ):
        return payment
    return None


def _apply(
    order: Order, edit: _Edit, *, actor: str, verb: str, reason: str, grant: GatewayTransaction | None = None
) -> Order:
    before = order.total
    described = _describe(edit)
    backordered = _restock(order, edit, actor=actor)
    price = edit.price
    order.subtotal, order.shipping_total, order.total = price.subtotal, price.shipping, price.total
    order.tax_rate, order.tax_total = price.tax_rate, price.tax
    order.save(update_fields=MONEY_FIELDS)
    paid_note, refused = _payment_follow(order, before=before, grant=grant)
    note = f"{verb}: {described}; total {before} → {order.total} {order.currency}."
    if backordered:
        note += " Backordered: " + ", ".join(f"{sku} ×{n}" for sku, n in backordered.items()) + "."
    if paid_note:
        note += f" {paid_note}"
    if reason.strip():
        note += f" Reason: {reason.strip()}"
    event = event_record(order=order, actor=actor, note=note, contents_changed=True)
    notify(order, f"{ORDER_UPDATED}:{event.pk}")
    if refused:
        if order.status in HOLDABLE:
            transition_apply(order, "hold", actor=SYSTEM, reason=HoldReason.CREDIT, note=refused, detail=refused)
            order_hold_notify(order)
        else:
            event_record(order=order, actor=SYSTEM, note=f"Credit check after the change: {refused}")
    return order


def _describe(edit: _Edit) -> str:
    """ "SKU-A 2→3, SKU-B removed, SKU-C ×1 added"."""
    wanted = dict(edit.wanted)
    parts = []
    for sku, line in edit.current.items():
        if sku not in wanted:
            parts.append(f"{sku} removed")
        elif wanted[sku] != line.quantity:
            parts.append(f"{sku} {line.quantity}→{wanted[sku]}")
    parts += [f"{sku} ×{quantity} added" for sku, quantity in edit.wanted if sku not in edit.current]
    return ", ".join(parts)


# --- stock ---------------------------------------------------------------------------------------------------
def _reserving(order: Order, lines) -> bool:
    """Whether the order holds stock for its lines: it passed verification (or reserved part already). An
    order held before verification (short of stock) has nothing to re-reserve: verifying it reserves all."""
    if any(line.quantity_reserved for line in lines):
        return True
    return not (order.status == OrderStatus.PLACED or order.held_from == OrderStatus.PLACED)


def _restock(order: Order, edit: _Edit, *, actor: str) -> dict[str, int]:
    """Lines and reservations as ``edit`` wants them; the units backordered now, by SKU."""
    wanted = dict(edit.wanted)
    reserving = _reserving(order, edit.current.values())
    if reserving:  # every stock row this may touch, in pk order, before any: no deadlock with other orders
        ids = {p.pk for p in edit.products.values()} | {line.product_id for line in edit.current.values()}
        list(StockItem.objects.select_for_update().filter(product_id__in=ids).order_by("pk").values_list("pk"))
    releases: list[tuple[int, int]] = []
    for sku, line in edit.current.items():
        cut = line.quantity - wanted.get(sku, 0)
        if cut <= 0:
            continue
        from_backorder = min(line.quantity_backordered, cut)
        line.quantity_backordered -= from_backorder
        released = min(cut - from_backorder, line.quantity_reserved)
        releases += _allocations_release(line, released)
        line.quantity_reserved -= released
    if releases:
        stock_release(allocations=releases, reference=order.number, reason="order lines changed", actor=actor)
    removed = [line.pk for sku, line in edit.current.items() if sku not in wanted]
    OrderLine.objects.filter(pk__in=removed).delete()

    priced = {line.product.sku: line for line in edit.price.lines}
    kept, created, growth = [], [], []
    for sku, quantity in edit.wanted:
        product, line = edit.products[sku], edit.current.get(sku)
        before = line.quantity if line else 0
        if line is None:
            line = OrderLine(order=order, product=product, sku=sku, name=product.name, unit_price=product.price)
            created.append(line)
        else:
            kept.append(line)
        line.quantity, line.line_total, line.weight_kg = quantity, priced[sku].line_total, product.weight_kg
        if quantity > before:
            growth.append((line, quantity - before))
    fields = ["quantity", "line_total", "weight_kg", "quantity_reserved", "quantity_backordered"]
    OrderLine.objects.bulk_update(kept, fields)
    OrderLine.objects.bulk_create(created)
    if not reserving:
        if order.status == OrderStatus.ON_HOLD and order.hold_reason == HoldReason.OUT_OF_STOCK:
            stock_arrived(product_ids={p.pk for p in edit.products.values()})  # the allocator tries it again
        return {}
    return _reserve_growth(order, edit, growth, actor=actor)


def _allocations_release(line: OrderLine, quantity: int) -> list[tuple[int, int]]:
    """Mark ``quantity`` units of the line's allocations released, newest first, splitting one if needed; the
    (stock item, units) to give back."""
    given: list[tuple[int, int]] = []
    open_allocations = LineAllocation.objects.filter(line=line, is_released=False, is_shipped=False).order_by("-pk")
    for allocation in open_allocations:
        if quantity == 0:
            break
        take = min(quantity, allocation.quantity)
        if take == allocation.quantity:
            allocation.is_released = True
            allocation.save(update_fields=["is_released"])
        else:
            allocation.quantity -= take
            allocation.save(update_fields=["quantity"])
            LineAllocation.objects.create(
                line=line,
                stock_item_id=allocation.stock_item_id,
                warehouse_id=allocation.warehouse_id,
                quantity=take,
                is_released=True,
            )
        given.append((allocation.stock_item_id, take))
        quantity -= take
    return given


def _reserve_growth(order: Order, edit: _Edit, growth: list[tuple[OrderLine, int]], *, actor: str) -> dict[str, int]:
    """Reserve the units the lines grew by: all of them, or (an order that ships in parts) what there is, the
    rest backordered. Short otherwise: InvalidOrder naming each short line with what is available."""
    if not growth:
        return {}
    requests = [StockRequest(line.pk, line.product_id, units) for line, units in growth]
    short: dict[int, int] = {}
    try:
        allocations = stock_reserve(requests=requests, reference=order.number, actor=actor)
    except OutOfStock as exc:
        short = exc.short
        if not order.ship_partial:
            raise _short_error(edit, growth, short) from exc
        fewer = [StockRequest(r.key, r.product_id, r.quantity - short.get(r.product_id, 0)) for r in requests]
        fewer = [r for r in fewer if r.quantity > 0]
        # The stock rows are locked since _restock began: what was there a moment ago is there now.
        allocations = stock_reserve(requests=fewer, reference=order.number, actor=actor) if fewer else []
    LineAllocation.objects.bulk_create(
        LineAllocation(line_id=a.key, stock_item_id=a.stock_item_id, warehouse_id=a.warehouse_id, quantity=a.quantity)
        for a in allocations
    )
    reserved: dict[int, int] = {}
    for allocation in allocations:
        reserved[allocation.key] = reserved.get(allocation.key, 0) + allocation.quantity
    backordered = {}
    for line, units in growth:
        line.quantity_reserved += reserved.get(line.pk, 0)
        missing = units - reserved.get(line.pk, 0)
        line.quantity_backordered += missing
        if missing:
            backordered[line.sku] = missing
    OrderLine.objects.bulk_update([line for line, _ in growth], ["quantity_reserved", "quantity_backordered"])
    return backordered


def _short_error(edit: _Edit, growth: list[tuple[OrderLine, int]], short: dict[int, int]) -> InvalidOrder:
    index = {sku: str(i) for i, (sku, _) in enumerate(edit.wanted)}
    errors = {}
    for line, units in growth:
        if short.get(line.product_id):
            available = line.quantity_reserved + units - short[line.product_id]
            errors[index[line.sku]] = {"quantity": [f"Only {available} available."]}
    return InvalidOrder("Not enough stock for the new lines.", code="out_of_stock", fields={"lines": errors})


# --- payment -------------------------------------------------------------------------------------------------
def _payment_follow(order: Order, *, before: Decimal, grant: GatewayTransaction | None) -> tuple[str, str]:
    """Make the order's payment follow its new total: (what the timeline says of it, why credit now refuses
    the order or "")."""
    payment = order.payments.order_by("-pk").first()
    if payment is None or payment.method == Payment.Method.EXCHANGE:
        return "", ""
    total, currency, held = order.total, order.currency, payment.authorized_amount
    if grant is not None:
        payment_authorization_swap(payment_id=payment.pk, transaction_id=grant.pk, amount=total)
        note = f"Card authorized again for {total} {currency}; the earlier authorization of {held} is voided."
    else:
        payment_amount_change(payment_id=payment.pk, amount=total)
        note = _amount_note(payment, order)
    payment = Payment.objects.get(pk=payment.pk)
    payment_summary_sync(order, payment)
    order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
    refused = ""
    credit_counted = payment.status == Payment.Status.AUTHORIZED or (
        payment.status == Payment.Status.PENDING and payment.credit_reserved
    )
    if payment.method == Payment.Method.ON_ACCOUNT and total > before and credit_counted:
        # Serialised per customer like the credit check of placement: two orders cannot both fit under one limit.
        customer = Customer.objects.select_for_update().get(pk=order.customer_id)
        decision = credit_check(
            customer_id=customer.pk,
            payment_method=payment.method,
            on_account=customer.on_account,
            credit_limit=customer.credit_limit,
            amount=total,
            order_id=order.pk,
        )
        refused = "" if decision.approved else decision.reason
    return note, refused


def _amount_note(payment: Payment, order: Order) -> str:
    """The timeline's words for what the payment takes now (read before the change, ``order`` after)."""
    total, currency = order.total, order.currency
    status = payment.status
    if status in (Payment.Status.CAPTURED, Payment.Status.SETTLED):
        paid = order.amount_captured - order.amount_refunded
        if order.balance_due:
            return f"Paid {paid} {currency}: balance due {order.balance_due} {currency}."
        if order.refund_due:
            return f"Paid {paid} {currency}: {order.refund_due} {currency} to refund."
        return ""
    if status == Payment.Status.AUTHORIZED and payment.method == Payment.Method.ON_ACCOUNT:
        return f"Invoice now {total} {currency}."
    if status == Payment.Status.AUTHORIZED:
        released = payment.authorized_amount - total
        if released > 0:
            held = payment.authorized_amount
            return f"{total} {currency} of the {held} authorized will be captured; {released} is released."
        return ""
    if status in (Payment.Status.PENDING, Payment.Status.AWAITING_FUNDS, Payment.Status.DECLINED):
        return f"Payment expected: {total} {currency}."
    return ""
