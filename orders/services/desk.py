"""Order desk use cases: internal notes, address and instruction edits, assignment, bulk transitions.

Each writes an ``OrderEvent`` in the same transaction, so the timeline says who did what and why.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oms.exceptions import ConflictError, DomainError, InvalidInput
from orders.addresses import address_clean
from orders.exceptions import OrderBusy, TransitionForbidden
from orders.models import HOLDABLE, Address, HoldReason, Order, OrderNote, OrderStatus
from orders.services.common import event_record, order_lock
from orders.services.lifecycle import order_transition
from orders.services.pipeline import order_pay
from payments.exceptions import GatewayUnavailable

# Before the warehouse starts work the order's addresses and instructions may still change.
EDITABLE = [*HOLDABLE, OrderStatus.ON_HOLD]
ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")
NOTE_MAX = 5000
# A second post of the same note within this window is taken for a double click, not a new note.
NOTE_REPEAT_WINDOW = timedelta(seconds=30)
BULK_MAX = 200
BUSY = "Someone else is changing this order, try again."


def _actor(user) -> str:
    return getattr(user, "username", str(user))


def order_note_add(*, order_id: int, user, body: str) -> OrderNote:
    """Leave an internal note on the order (staff only: customers never see notes).

    The same text by the same author on the same order within ``NOTE_REPEAT_WINDOW`` is one note posted
    twice (a double click, a resent form): the note already written is returned and nothing is added. The
    check runs under the order's lock, so two posts racing each other also end as one note and one event.
    """
    body = body.strip()
    if not body:
        raise InvalidInput("The note is empty.", code="note_required", fields={"body": ["Write the note."]})
    if len(body) > NOTE_MAX:
        raise InvalidInput(
            "The note is too long.", code="note_too_long", fields={"body": [f"At most {NOTE_MAX} characters."]}
        )
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        repeated = (
            OrderNote.objects.filter(
                order=order, author=user, body=body, created_at__gte=timezone.now() - NOTE_REPEAT_WINDOW
            )
            .order_by("-pk")
            .first()
        )
        if repeated is not None:
            return repeated
        note = OrderNote.objects.create(order=order, author=user, body=body)
        excerpt = body if len(body) <= 80 else body[:79] + "…"
        event_record(order=order, actor=_actor(user), note=f"Internal note: {excerpt}")
    return note


def _address_changes(label: str, address: Address, values: dict) -> list[str]:
    changes = []
    for field in ADDRESS_FIELDS:
        if field not in values:
            continue
        before, after = getattr(address, field) or "", values[field] or ""
        if before != after:
            changes.append(f"{label} {field.replace('_', ' ')}: “{before}” → “{after}”")
    return changes


def _address_checked(prefix: str, address: Address, values: dict | None) -> tuple[dict | None, dict]:
    """(``values`` with region and postal code as the post writes them, errors of the address as it will be,
    keyed by the form's fields: ``ship_region``, ``bill_postal_code``)."""
    if not values:
        return values, {}
    checked = ("country", "region", "postal_code", "city", "line1")
    clean, errors = address_clean(**{f: values.get(f, getattr(address, f)) for f in checked})
    values = {**values, **{f: clean[f] for f in ("region", "postal_code") if f in values and not errors}}
    return values, {f"{prefix}_{field}": problems for field, problems in errors.items()}


def _address_store(order: Order, attr: str, values: dict) -> None:
    """Write ``values`` into the order's own address row; copy it first if anything else points at it.

    Orders keep per-order copies, but an order placed without a billing address uses one row for both,
    and a row may be someone's address book entry too: those are left as they were.
    """
    address = getattr(order, attr)
    other = "billing_address_id" if attr == "shipping_address" else "shipping_address_id"
    shared = (
        getattr(order, other) == address.pk
        or Order.objects.filter(Q(shipping_address_id=address.pk) | Q(billing_address_id=address.pk))
        .exclude(pk=order.pk)
        .exists()
    )
    if shared:
        address = Address(customer_id=address.customer_id, **{f: getattr(address, f) for f in ADDRESS_FIELDS})
    for field in ADDRESS_FIELDS:
        if field in values:
            setattr(address, field, values[field] or "")
    address.save()
    if shared:
        setattr(order, attr, address)


def order_details_update(
    *, order_id: int, user, shipping: dict | None = None, billing: dict | None = None, notes: str | None = None
) -> list[str]:
    """Change the shipping or billing address or the special instructions before fulfillment starts.

    Returns the list of changes written (empty when nothing differed). The shipping country stays: tax
    and shipping were priced for it. Raises ConflictError once the warehouse has started work.
    """
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        if order.status not in EDITABLE:
            raise ConflictError(
                f"Order {order.number} is {order.get_status_display().lower()}: "
                "addresses and instructions can only change before fulfillment starts.",
                code="not_editable",
            )
        shipping_address = Address.objects.get(pk=order.shipping_address_id)
        billing_address = Address.objects.get(pk=order.billing_address_id)
        order.shipping_address, order.billing_address = shipping_address, billing_address
        if shipping and "country" in shipping and shipping["country"].upper() != shipping_address.country:
            raise InvalidInput(
                "The shipping country cannot change.",
                code="country_locked",
                fields={"ship_country": ["Tax and shipping were priced for this country; cancel and re-enter."]},
            )
        if billing and "country" in billing:
            billing = {**billing, "country": billing["country"].upper()}
        if shipping:
            shipping = {k: v for k, v in shipping.items() if k != "country"}
        shipping, ship_errors = _address_checked("ship", shipping_address, shipping)
        billing, bill_errors = _address_checked("bill", billing_address, billing)
        if ship_errors or bill_errors:
            raise InvalidInput("The address is not valid.", code="invalid_address", fields=ship_errors | bill_errors)
        changes = []
        if shipping:
            changes += _address_changes("Shipping", shipping_address, shipping)
        if billing:
            changes += _address_changes("Billing", billing_address, billing)
        if notes is not None and notes.strip() != order.notes:
            changes.append(f"Special instructions: “{order.notes}” → “{notes.strip()}”")
        if not changes:
            return []
        update_fields = ["updated_at"]
        if shipping and _address_changes("Shipping", shipping_address, shipping):
            _address_store(order, "shipping_address", shipping)
            update_fields.append("shipping_address")
        if billing and _address_changes("Billing", billing_address, billing):
            _address_store(order, "billing_address", billing)
            update_fields.append("billing_address")
        if notes is not None and notes.strip() != order.notes:
            order.notes = notes.strip()
            update_fields.append("notes")
        order.save(update_fields=update_fields)
        event_record(order=order, actor=_actor(user), note="Edited: " + "; ".join(changes))
    return changes


def order_assign(*, order_id: int, user, assignee_id: int | None) -> Order:
    """Give the order to a staff member (None: to nobody), so the desk knows whose it is."""
    assignee = None
    if assignee_id is not None:
        assignee = get_user_model().objects.filter(pk=assignee_id, is_staff=True, is_active=True).first()
        if assignee is None:
            raise InvalidInput(
                "Orders can only be assigned to active staff.",
                code="invalid_assignee",
                fields={"assignee": ["Choose a staff member."]},
            )
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        if order.assigned_to_id == (assignee.pk if assignee else None):
            return order
        order.assigned_to = assignee
        order.save(update_fields=["assigned_to", "updated_at"])
        event_record(
            order=order,
            actor=_actor(user),
            note=f"Assigned to {assignee.get_full_name() or assignee.username}" if assignee else "Unassigned",
        )
    return order


@dataclass(frozen=True)
class BulkResult:
    number: str
    ok: bool
    message: str


def orders_bulk_transition(
    *, numbers: list[str], name: str, user, reason: str = "", hold_reason: str | None = None
) -> list[BulkResult]:
    """Take transition ``name`` on each order in turn, each in its own transaction; one result per order.

    A refusal (wrong state, busy order, bad input) is reported for that order and the others go on. A
    missing permission raises TransitionForbidden before anything is changed: it holds for every order.
    """
    numbers = list(dict.fromkeys(n.strip().upper() for n in numbers if n.strip()))
    if not numbers:
        raise InvalidInput("Select at least one order.", code="nothing_selected", fields={"orders": ["Select orders."]})
    if len(numbers) > BULK_MAX:
        raise InvalidInput(
            f"At most {BULK_MAX} orders at a time.", code="too_many", fields={"orders": [f"At most {BULK_MAX}."]}
        )
    ids = dict(Order.objects.filter(number__in=numbers).values_list("number", "pk"))
    results = []
    for number in numbers:
        if number not in ids:
            results.append(BulkResult(number, False, "No such order."))
            continue
        try:
            if name == "release":
                order = order_release(order_id=ids[number], user=user, reason=reason)
            else:
                order = order_transition(
                    order_id=ids[number], name=name, user=user, reason=reason, hold_reason=hold_reason
                )
        except TransitionForbidden:
            raise
        except OrderBusy:
            results.append(BulkResult(number, False, BUSY))
        except DomainError as exc:
            results.append(BulkResult(number, False, exc.message))
        else:
            if name == "release":
                results.append(BulkResult(number, True, release_outcome(order_id=order.pk)[1]))
            else:
                results.append(BulkResult(number, True, f"Done: now {order.get_status_display().lower()}."))
    return results


def order_release(*, order_id: int, user, reason: str = "") -> Order:
    """Release a hold as ``user``; an order back at its payment stage has its payment tried at once.

    The payment task is queued as usual; trying it now as well (as a card retry does) lets whoever released
    the order hear whether the card went through or was declined again. If the gateway does not answer,
    the queued task keeps retrying.
    """
    order = order_transition(order_id=order_id, name="release", user=user, reason=reason)
    if order.status == OrderStatus.CREDIT_APPROVED and order.payment_status != "awaiting_funds":
        try:
            order_pay(order_id=order_id)
        except GatewayUnavailable:
            pass
        order = Order.objects.get(pk=order_id)
    return order


def release_outcome(*, order_id: int) -> tuple[bool, str]:
    """Where a release just taken left the order, in words, read after its automatic work ran: (in the flow, text).

    A release runs the automatic stages again: the order may end back on hold (the same declined card
    tried again, stock still short) or waiting for its transfer, and the person who released it is told
    that and why, not only the state the release itself went to.
    """
    order = Order.objects.get(pk=order_id)
    number = order.number
    if order.status == OrderStatus.ON_HOLD:
        if order.hold_reason == HoldReason.PAYMENT_FAILED:
            why = f" ({order.hold_note})" if order.hold_note else ""
            return False, (
                f"Released, but the same card was declined again{why}: order {number} is back on hold. "
                "Ask the customer for a new card and retry the payment with it."
            )
        if order.hold_reason == HoldReason.OUT_OF_STOCK:
            short = order.hold_note.removeprefix("Not enough stock for ") or "see the order"
            return False, f"Released, but still out of stock: {short}. Order {number} is on hold again."
        why = f": {order.hold_note}" if order.hold_note else ""
        reason = order.get_hold_reason_display().lower()
        return False, f"Released, but order {number} is on hold again ({reason}{why})."
    if order.status == OrderStatus.CREDIT_APPROVED and order.payment_status == "awaiting_funds":
        state = "awaiting payment (its bank transfer)"
    elif order.status == OrderStatus.CREDIT_APPROVED:
        state = "credit approved; its payment is being taken"
    else:
        state = order.get_status_display().lower()
    return True, f"Released: order {number} is now {state}."
