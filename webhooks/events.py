"""The event types a subscription can ask for, and which timeline entries (an order's, a return's) become
which events."""

ORDER_CREATED = "order.created"
ORDER_STATUS_CHANGED = "order.status_changed"
ORDER_SHIPPED = "order.shipped"
ORDER_DELIVERED = "order.delivered"
ORDER_CANCELLED = "order.cancelled"
ORDER_UPDATED = "order.updated"

RETURN_CREATED = "return.created"
RETURN_STATUS_CHANGED = "return.status_changed"

EVENT_TYPES = (
    ORDER_CREATED,
    ORDER_STATUS_CHANGED,
    ORDER_SHIPPED,
    ORDER_DELIVERED,
    ORDER_CANCELLED,
    ORDER_UPDATED,
    RETURN_CREATED,
    RETURN_STATUS_CHANGED,
)
# A status change to one of these is also its own event, sent after the order.status_changed of the same change.
NAMED_STATUSES = {"shipped": ORDER_SHIPPED, "delivered": ORDER_DELIVERED, "cancelled": ORDER_CANCELLED}


def order_event_types(*, from_status: str, to_status: str, contents_changed: bool = False) -> list[str]:
    """The webhook events one timeline entry makes, in the order they are sent: none for a plain note,
    ``order.updated`` for one that records a change of the order's lines (an edit, a part cancel)."""
    if not to_status or from_status == to_status:
        return [ORDER_UPDATED] if contents_changed else []
    if not from_status:
        return [ORDER_CREATED]
    types = [ORDER_STATUS_CHANGED]
    if to_status in NAMED_STATUSES:
        types.append(NAMED_STATUSES[to_status])
    return types


def subject_of(event_type: str) -> str:
    """What an event is about ("order" for order.*): it picks the builder of the event's ``data``."""
    return event_type.partition(".")[0]


def return_event_types(*, from_status: str, to_status: str) -> list[str]:
    """The webhook events one entry of a return's timeline makes: opened, or a change of its status."""
    if not to_status or from_status == to_status:
        return []
    return [RETURN_CREATED] if not from_status else [RETURN_STATUS_CHANGED]
