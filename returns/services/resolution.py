"""How a return ends in money or goods: the refund (with its preview), the exchange, and returnless refunds.

A refund gives back, per line, the unit price times the quantity plus that amount's share of the order's
tax; the original shipping (with its share of tax) too when the policy says so for the return's reasons,
once per order. It goes to the original payment through ``payments.payment_refund`` (a card refund, a
credit note for on-account customers, a recorded manual refund for cash and bank transfer) and never more
than the payment may still give back. An exchange places a replacement order through the normal placement
service (stock reserved, fulfilled like any other order), paying only the difference in value.

Claims (a parcel lost or damaged on the way) live in ``returns.services.claims``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django_fsm import can_proceed

from oms.exceptions import ConflictError
from oms.money import ZERO, quantize
from orders.models import Order
from orders.pricing import order_price
from orders.services.common import PAYMENT_SUMMARY_FIELDS, event_record, payment_summary_sync
from orders.services.placement import AddressInput, PlacementInput, order_place
from payments.models import Payment, Refund
from payments.selectors import payment_latest_for_order
from payments.services import payment_refund, payment_refundable, refund_kind_for
from returns.exceptions import ReturnTransitionForbidden, ReturnTransitionNotAvailable
from returns.models import Condition, Resolution, ReturnLine, ReturnRequest, ReturnStatus
from returns.policy import return_policy
from returns.services.common import actor_of, return_lock, return_notify, return_transition_apply

# Inspected lines in these conditions are refunded (settings.OMS_RETURN_REFUND_CONDITIONS); by default all.
DEFAULT_REFUND_CONDITIONS = (Condition.RESELLABLE, Condition.DAMAGED, Condition.DEFECTIVE)
_RESOLVED = (ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED, ReturnStatus.CLOSED)
_HOW = {
    Refund.Kind.GATEWAY: "to the card",
    Refund.Kind.CREDIT_NOTE: "as credit note {number}",
    Refund.Kind.MANUAL: "to be paid back by {method} (recorded)",
}


@dataclass(frozen=True)
class RefundPreviewLine:
    return_line_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    goods: Decimal  # unit price × quantity
    tax: Decimal  # the goods' share of the order's tax
    amount: Decimal  # goods + tax


@dataclass(frozen=True)
class RefundPreview:
    """What ``return_refund`` would give back now, line by line, and where the money goes."""

    currency: str
    lines: tuple[RefundPreviewLine, ...]
    shipping: Decimal  # the original shipping and its tax, when the policy refunds it (else 0)
    subtotal: Decimal  # lines + shipping, before the cap
    total: Decimal  # what will be refunded: the subtotal, at most what the payment may still give back
    refundable: Decimal  # what the payment may still give back
    method: str  # the payment method the money goes back to ("" without a payment)
    method_label: str  # e.g. "Card refund", "Credit note", "Manual refund"

    @property
    def capped(self) -> bool:
        """Less is refunded than the lines add up to: the payment has no more to give back."""
        return self.total < self.subtotal


def refund_conditions() -> tuple[str, ...]:
    """Which inspected conditions are refunded (``OMS_RETURN_REFUND_CONDITIONS``; default every one)."""
    return tuple(getattr(settings, "OMS_RETURN_REFUND_CONDITIONS", None) or DEFAULT_REFUND_CONDITIONS)


def line_refund(order: Order, *, unit_price: Decimal, quantity: int) -> tuple[Decimal, Decimal]:
    """(goods, tax) given back for ``quantity`` units at ``unit_price`` of ``order``: the tax share is the
    order's tax in proportion to what it was charged on (goods and shipping)."""
    goods = quantize(unit_price * quantity)
    base = order.subtotal + order.shipping_total
    tax = quantize(order.tax_total * goods / base) if base else ZERO
    return goods, tax


def _shipping_refund(order: Order, return_request: ReturnRequest, reasons: set[str]) -> Decimal:
    """The original shipping and its tax, if the policy refunds it for these reasons and no earlier return of
    the order got it back already (what a resolved return refunded beyond its lines was its shipping)."""
    if not order.shipping_total or not return_policy().refunds_shipping(reasons=reasons):
        return ZERO
    others = ReturnRequest.objects.filter(order=order, status__in=_RESOLVED, resolution=Resolution.REFUND).exclude(
        pk=return_request.pk
    )
    refunded = others.aggregate(total=Sum("refund_total"))["total"] or ZERO
    for_lines = others.aggregate(total=Sum("lines__refund_amount"))["total"] or ZERO
    if refunded > for_lines:
        return ZERO
    base = order.subtotal + order.shipping_total
    return order.shipping_total + quantize(order.tax_total * order.shipping_total / base)


def _refunded_lines(return_request: ReturnRequest) -> list:
    lines = list(return_request.lines.select_related("order_line"))
    if return_request.returnless:
        return lines
    conditions = refund_conditions()
    return [line for line in lines if line.condition in conditions]


def refund_preview(*, return_request: ReturnRequest) -> RefundPreview:
    """What refunding the return would give back now (see the module), read only: the dashboard shows it
    before finance issues the refund, and ``return_refund`` issues exactly this."""
    order = return_request.order
    lines = []
    for line in _refunded_lines(return_request):
        ordered = line.order_line
        goods, tax = line_refund(order, unit_price=ordered.unit_price, quantity=line.quantity)
        lines.append(
            RefundPreviewLine(
                line.pk, ordered.sku, ordered.name, line.quantity, ordered.unit_price, goods, tax, goods + tax
            )
        )
    reasons = {line.reason for line in return_request.lines.all()}
    shipping = _shipping_refund(order, return_request, reasons) if lines else ZERO
    subtotal = sum((line.amount for line in lines), ZERO) + shipping
    payment = payment_latest_for_order(order_id=order.pk)
    refundable = payment_refundable(payment=payment) if payment is not None else ZERO
    return RefundPreview(
        currency=order.currency,
        lines=tuple(lines),
        shipping=shipping,
        subtotal=subtotal,
        total=min(subtotal, refundable),
        refundable=refundable,
        method=payment.method if payment is not None else "",
        method_label=_kind_label(payment),
    )


def _kind_label(payment: Payment | None) -> str:
    kind = refund_kind_for(method=payment.method) if payment is not None else None
    return Refund.Kind(kind).label if kind else ""


def permission_check(user, permission: str, what: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise ReturnTransitionForbidden(f"You do not have permission to {what}.")


def order_money_back(order: Order, *, amount: Decimal, reason: str, key: str, actor: str) -> str:
    """Refund ``amount`` of the order's payment (under the idempotency ``key``), copy the payment's figures onto
    the locked ``order`` and return the words for the timelines. ConflictError when the gateway declines."""
    if amount <= 0:
        return "nothing to refund"
    payment = payment_latest_for_order(order_id=order.pk)
    if payment is None:
        raise ConflictError("The order has no payment to refund.", code="not_refundable")
    refund = payment_refund(payment_id=payment.pk, amount=amount, reason=reason, key=key, recorded_by=actor)
    if refund.status == Refund.Status.FAILED:
        message = refund.transaction.message if refund.transaction else ""
        raise ConflictError(
            f"The refund was declined: {message or 'ask the payment provider'}.", code="refund_declined"
        )
    payment.refresh_from_db()
    payment_summary_sync(order, payment)
    order.save(update_fields=[*PAYMENT_SUMMARY_FIELDS, "updated_at"])
    credit_note = getattr(refund, "credit_note", None) if refund.kind == Refund.Kind.CREDIT_NOTE else None
    how = _HOW[refund.kind].format(
        number=credit_note.number if credit_note else "", method=payment.get_method_display().lower()
    )
    return f"refunded {amount} {payment.currency} {how}"


def return_refund(*, return_request: ReturnRequest, user=None) -> ReturnRequest:
    """Refund the return (from inspected, or from authorized when it is returnless) as ``refund_preview`` says:
    the money back to the original payment, ``refund_total`` and each line's ``refund_amount`` recorded, the
    events on both timelines, the "refunded" email once. Needs ``returns.refund_return``; 409 when not now."""
    permission_check(user, "returns.refund_return", "refund returns")
    actor = actor_of(user)
    with transaction.atomic():
        order, return_request = return_lock(return_request=return_request, nowait=user is not None)
        if not can_proceed(return_request.refund):
            raise ReturnTransitionNotAvailable(
                f"Cannot refund return {return_request.number}: it is {return_request.get_status_display().lower()}."
            )
        preview = refund_preview(return_request=return_request)
        note = order_money_back(
            order, amount=preview.total, reason=f"Return {return_request.number}", key=_key(return_request), actor=actor
        )
        _line_amounts_save(return_request, preview)
        return_transition_apply(
            return_request,
            "refund",
            order=order,
            actor=actor,
            note=note[0].upper() + note[1:],
            amount=preview.total,
            at=timezone.now(),
        )
        return_notify(return_request, "return_refunded")
    return return_request


def _key(return_request: ReturnRequest) -> str:
    return f"return-{return_request.pk}-refund"


def _line_amounts_save(return_request: ReturnRequest, preview: RefundPreview) -> None:
    """Each refunded line keeps what it got back; a cap (nothing more on the payment) is taken off the last."""
    left = preview.total - preview.shipping
    amounts = {}
    for line in preview.lines:
        amounts[line.return_line_id] = max(min(line.amount, left), ZERO)
        left -= amounts[line.return_line_id]
    lines = list(return_request.lines.all())
    for line in lines:
        line.refund_amount = amounts.get(line.pk, ZERO)
    ReturnLine.objects.bulk_update(lines, ["refund_amount"])


# --- exchange --------------------------------------------------------------------------------------------
def _returned_value(order: Order, return_request: ReturnRequest) -> Decimal:
    """What the customer paid for the returned units, tax included: the credit the replacement draws on."""
    total = ZERO
    for line in return_request.lines.select_related("order_line"):
        goods, tax = line_refund(order, unit_price=line.order_line.unit_price, quantity=line.quantity)
        total += goods + tax
    return total


def goods_value(*, lines: list[tuple], country: str) -> Decimal:
    """What (product, quantity) pairs cost today with tax for ``country``, shipping left out."""
    price = order_price(lines=lines, method=None, country=country)
    return price.subtotal + price.tax


def _refundable(order: Order) -> Decimal:
    payment = payment_latest_for_order(order_id=order.pk)
    return payment_refundable(payment=payment) if payment is not None else ZERO


def replacement_place(order: Order, *, lines: list[tuple[str, int]], charge: Decimal, actor: str, note: str) -> Order:
    """Place a replacement of ``order`` through the normal placement (stock reserved, the usual pipeline): same
    customer, address, shipping method and storefront; it pays ``charge`` by the original method and card, or
    nothing (the ``exchange`` method) when ``charge`` is 0. The link is on both orders' timelines."""
    payment = payment_latest_for_order(order_id=order.pk)
    method = order.payment_method if charge > 0 else Payment.Method.EXCHANGE
    if charge > 0 and method == Payment.Method.EXCHANGE:
        raise ConflictError(
            "This order was itself a replacement paid by an exchange: the difference cannot be charged to it.",
            code="difference_not_chargeable",
        )
    replacement = order_place(
        data=PlacementInput(
            customer_email=order.contact_email,
            customer_name=order.contact_name,
            customer_phone=order.contact_phone,
            customer_id=order.customer_id,
            storefront_id=order.storefront_id,
            channel=order.channel,
            lines=lines,
            shipping_address=AddressInput.of(order.shipping_address),
            shipping_method=order.shipping_method,
            payment_method=method,
            payment_token=payment.token if charge > 0 and payment is not None else "",
            payment_amount=charge,
            notes=note,
        ),
        actor=actor,
    )
    event_record(order=replacement, actor=actor, note=f"{note} (original order {order.number})")
    return replacement


def return_exchange(*, return_request: ReturnRequest, user=None) -> ReturnRequest:
    """Exchange the return (from inspected, or from authorized when returnless): a replacement order for the
    exchange lines (default: the returned SKUs again) linked to the return and the original order. Equal value
    costs nothing more; a dearer replacement charges the difference on its own payment (original method); a
    cheaper one refunds the difference to the original payment. The "exchange shipped" email goes out once
    when the replacement ships (``exchange_shipped_notify``). Needs ``returns.refund_return``."""
    permission_check(user, "returns.refund_return", "exchange returns")
    actor = actor_of(user)
    with transaction.atomic():
        order, return_request = return_lock(return_request=return_request, nowait=user is not None)
        if not can_proceed(return_request.exchange):
            raise ReturnTransitionNotAvailable(
                f"Cannot exchange return {return_request.number}: it is {return_request.get_status_display().lower()}."
            )
        wanted = [(line.product, line.quantity) for line in return_request.exchange_lines.select_related("product")]
        if not wanted:
            wanted = [
                (line.order_line.product, line.quantity)
                for line in return_request.lines.select_related("order_line__product")
            ]
        credit = _returned_value(order, return_request)
        value = goods_value(lines=wanted, country=order.shipping_address.country)
        charge = max(value - credit, ZERO)
        give_back = min(max(credit - value, ZERO), _refundable(order))
        replacement = replacement_place(
            order,
            lines=[(product.sku, quantity) for product, quantity in wanted],
            charge=charge,
            actor=actor,
            note=f"Replacement for return {return_request.number}",
        )
        note = f"replacement order {replacement.number} placed"
        if charge:
            note += f"; the difference of {charge} {order.currency} is charged on it"
        if give_back:
            money = order_money_back(
                order,
                amount=give_back,
                reason=f"Exchange {return_request.number}",
                key=_key(return_request),
                actor=actor,
            )
            note += f"; the difference: {money}"
            return_request.refund_total = give_back
        return_transition_apply(
            return_request,
            "exchange",
            order=order,
            actor=actor,
            note=note[0].upper() + note[1:],
            replacement_order=replacement,
            at=timezone.now(),
        )
    return return_request


def exchange_shipped_notify(*, order: Order) -> None:
    """``order`` shipped: if it replaces goods of a return, the customer hears so once ("exchange shipped").

    Named in ``settings.OMS_ORDER_SHIPPED_HOOKS`` and called by orders when an order's parcels are labelled,
    inside that transaction, so orders imports nothing of returns."""
    for return_request in ReturnRequest.objects.filter(replacement_order=order).select_related("order"):
        return_notify(return_request, "exchange_shipped")


__all__ = [
    "RefundPreview",
    "RefundPreviewLine",
    "exchange_shipped_notify",
    "goods_value",
    "line_refund",
    "order_money_back",
    "refund_preview",
    "replacement_place",
    "return_exchange",
    "return_refund",
]
