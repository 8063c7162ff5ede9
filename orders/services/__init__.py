"""Order use cases. Each is one transaction; see the modules for the details."""

from orders.services.catalog import catalog_errors
from orders.services.changes import lines_change_possible, order_lines_cancel, order_lines_change
from orders.services.customers import customer_credit_terms_set, customer_update
from orders.services.desk import order_assign, order_details_update, order_note_add, orders_bulk_transition
from orders.services.expiry import orders_cancel_unpaid
from orders.services.finance import (
    invoice_settle_possible,
    mark_paid_possible,
    order_invoice_settle,
    order_mark_paid,
    order_payment_retry,
    payment_retry_possible,
)
from orders.services.fulfillment import ParcelInput, order_pack_and_ship
from orders.services.lifecycle import (
    MANUAL_TRANSITIONS,
    order_cancel_by_customer,
    order_cancel_payment,
    order_capture_payment,
    order_payment_news,
    order_shipment_label,
    order_tracking_event,
    order_tracking_events,
    order_transition,
    orders_complete_delivered,
    transitions_available,
)
from orders.services.notifications import inquiry_reply_kind, order_email_failed, order_email_send, order_hold_notify
from orders.services.pipeline import order_pay
from orders.services.placement import AddressInput, PlacementInput, number_clashed, order_place
from orders.services.quality import order_qc_required, order_quality_check
from orders.services.reconcile import orders_reconcile
from orders.services.support import feedback_record, inquiry_answer, inquiry_create

__all__ = [
    "lines_change_possible",
    "order_lines_cancel",
    "order_lines_change",
    "orders_cancel_unpaid",
    "orders_reconcile",
    "invoice_settle_possible",
    "mark_paid_possible",
    "order_mark_paid",
    "order_invoice_settle",
    "order_payment_retry",
    "payment_retry_possible",
    "orders_bulk_transition",
    "order_note_add",
    "order_details_update",
    "order_assign",
    "MANUAL_TRANSITIONS",
    "AddressInput",
    "ParcelInput",
    "PlacementInput",
    "catalog_errors",
    "customer_credit_terms_set",
    "customer_update",
    "feedback_record",
    "inquiry_answer",
    "inquiry_create",
    "inquiry_reply_kind",
    "order_cancel_by_customer",
    "order_cancel_payment",
    "order_capture_payment",
    "order_payment_news",
    "order_email_failed",
    "order_email_send",
    "order_hold_notify",
    "order_pack_and_ship",
    "order_qc_required",
    "order_quality_check",
    "order_pay",
    "number_clashed",
    "order_place",
    "order_shipment_label",
    "order_tracking_event",
    "order_tracking_events",
    "order_transition",
    "orders_complete_delivered",
    "transitions_available",
]
