"""Order use cases. Each is one transaction; see the modules for the details."""

from orders.services.lifecycle import (
    MANUAL_TRANSITIONS,
    order_cancel_by_customer,
    order_cancel_payment,
    order_capture_payment,
    order_shipment_label,
    order_tracking_event,
    order_tracking_events,
    order_transition,
    orders_complete_delivered,
    transitions_available,
)
from orders.services.notifications import order_email_send
from orders.services.pipeline import order_pay
from orders.services.placement import AddressInput, PlacementInput, catalog_errors, order_place

__all__ = [
    "MANUAL_TRANSITIONS",
    "AddressInput",
    "PlacementInput",
    "catalog_errors",
    "order_cancel_by_customer",
    "order_cancel_payment",
    "order_capture_payment",
    "order_email_send",
    "order_pay",
    "order_place",
    "order_shipment_label",
    "order_tracking_event",
    "order_tracking_events",
    "order_transition",
    "orders_complete_delivered",
    "transitions_available",
]
