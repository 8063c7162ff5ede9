"""Pieces every return use case shares: locking, the two timelines, the emails, the order's counts."""

from collections.abc import Mapping

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from oms.exceptions import Busy
from orders.models import Order, OrderLine
from orders.services.common import LOCK_NOT_AVAILABLE, event_record, notify, order_lock
from returns.exceptions import InvalidReturn, ReturnNotFound, ReturnTransitionNotAvailable
from returns.models import ReturnEvent, ReturnRequest

SYSTEM = "system"
# What transitions change; saving only these keeps concurrent edits of other fields apart.
RETURN_FIELDS = [
    "status",
    "reject_reason",
    "refund_total",
    "replacement_order",
    "received_warehouse",
    "authorized_at",
    "received_at",
    "inspected_at",
    "resolved_at",
    "closed_at",
    "updated_at",
]


class ReturnBusy(Busy):
    code = "busy"


def actor_of(user) -> str:
    """How a person appears on the timelines: the user name, or "system" for automatic work."""
    if user is None:
        return SYSTEM
    return (getattr(user, "get_username", None) and user.get_username()) or str(user)


def return_lock(*, return_request: ReturnRequest | int, nowait: bool = False) -> tuple[Order, ReturnRequest]:
    """Lock the return's order and then the return (always in that order, so two use cases never deadlock) for
    the rest of the transaction; returns both, fresh from the database."""
    assert transaction.get_connection().in_atomic_block, "return_lock needs a transaction"
    return_id = return_request if isinstance(return_request, int) else return_request.pk
    order_id = ReturnRequest.objects.filter(pk=return_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise ReturnNotFound("No such return.")
    order = order_lock(order_id=order_id, nowait=nowait)
    try:
        locked = ReturnRequest.objects.select_for_update(nowait=nowait).filter(pk=return_id).first()
    except OperationalError as error:
        cause = error.__cause__
        if (getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)) != LOCK_NOT_AVAILABLE:
            raise
        raise ReturnBusy("Another request is changing this return right now; retry shortly.") from error
    if locked is None:
        raise ReturnNotFound("No such return.")
    return order, locked


def return_event_record(
    *,
    return_request: ReturnRequest,
    order: Order,
    actor: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> ReturnEvent:
    """Write the event on the return's timeline and, as a note, on the order's (the order keeps its own states
    in its from/to columns)."""
    at = timezone.now()
    event = ReturnEvent.objects.create(
        return_request=return_request,
        at=at,
        actor=actor[:150],
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    if to_status and to_status != from_status:
        label = return_request.get_status_display().lower()
        order_note = f"Return {return_request.number} {label}" + (f": {note}" if note else "")
    else:
        order_note = f"Return {return_request.number}: {note}"
    event_record(order=order, actor=actor, note=order_note)
    for hook in settings.OMS_RETURN_EVENT_HOOKS:
        import_string(hook)(event)
    return event


def return_transition_apply(
    return_request: ReturnRequest, name: str, *, order: Order, actor: str, note: str = "", **kwargs
) -> ReturnEvent:
    """Run the transition ``name`` on a locked return, save it and record the events on both timelines."""
    before = return_request.status
    getattr(return_request, name)(**kwargs)
    return_request.save(update_fields=RETURN_FIELDS)
    return return_event_record(
        return_request=return_request,
        order=order,
        actor=actor,
        from_status=before,
        to_status=return_request.status,
        note=note,
    )


def return_notify(return_request: ReturnRequest, kind: str) -> None:
    """Queue the customer email ``kind`` (return_authorized, return_received...) for this return, once."""
    notify(return_request.order, f"{kind}:{return_request.pk}")


def return_quantities_give_back(return_request: ReturnRequest) -> None:
    """The return will bring nothing back (rejected, cancelled): its quantities may be returned again."""
    lines = list(return_request.lines.select_related(None).order_by("order_line_id"))
    locked = {
        line.pk: line
        for line in OrderLine.objects.select_for_update()
        .filter(pk__in=[rl.order_line_id for rl in lines])
        .order_by("pk")
    }
    for return_line in lines:
        order_line = locked[return_line.order_line_id]
        order_line.quantity_returned = max(order_line.quantity_returned - return_line.quantity, 0)
    OrderLine.objects.bulk_update(locked.values(), ["quantity_returned"])


def return_finished(order: Order) -> None:
    """One open return less on the order: its completion waits for none of them (see ``Order.complete``)."""
    Order.objects.filter(pk=order.pk, returns_open__gt=0).update(returns_open=F("returns_open") - 1)
    order.refresh_from_db(fields=["returns_open"])


def field_of(item, key: str, default=None):
    """``item[key]`` of a mapping (API, forms) or ``item.key`` of an object (a dataclass)."""
    return item.get(key, default) if isinstance(item, Mapping) else getattr(item, key, default)


def positive_int(value) -> int | None:
    """A whole number of at least 1 given as a number or as digits; None for anything else (a bool too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and value > 0 else None


def line_error(field: str, index: int, name: str, message: str) -> InvalidReturn:
    """A 400 naming one field of one line, nested as the API's field errors are: ``{field: {index: {name}}}``."""
    return InvalidReturn(message, fields={field: {str(index): {name: [message]}}})


def transition_check(return_request: ReturnRequest, name: str) -> None:
    """409 unless the transition ``name`` may be taken from the return's state now."""
    method = getattr(return_request, name)
    transition = method._django_fsm.get_transition(return_request.status)
    if transition is None or not method._django_fsm.conditions_met(return_request, return_request.status):
        raise ReturnTransitionNotAvailable(
            f"Cannot {name} return {return_request.number}: it is {return_request.get_status_display().lower()}."
        )
