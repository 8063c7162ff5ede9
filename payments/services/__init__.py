"""Payment use cases: taking money (``charges``) and giving it back (``refunds``). See the modules."""

from payments.selectors import OPEN_INVOICE_STATUSES, customer_outstanding_balance
from payments.services.charges import (
    TOKEN_MAX_LENGTH,
    CreditDecision,
    card_token_error,
    credit_check,
    document_number_next,
    gateway_call,
    invoice_issue,
    payment_authorize,
    payment_cancel,
    payment_capture,
    payment_create,
    payment_last_error,
    payment_receive,
    payment_record_funds,
    payment_settle,
    token_digest,
)
from payments.services.refunds import RefundTooLarge, payment_refund, payment_refundable, refund_kind_for

__all__ = [
    "OPEN_INVOICE_STATUSES",
    "TOKEN_MAX_LENGTH",
    "CreditDecision",
    "RefundTooLarge",
    "card_token_error",
    "credit_check",
    "customer_outstanding_balance",
    "document_number_next",
    "gateway_call",
    "invoice_issue",
    "payment_authorize",
    "payment_cancel",
    "payment_capture",
    "payment_create",
    "payment_last_error",
    "payment_receive",
    "payment_record_funds",
    "payment_settle",
    "payment_refund",
    "payment_refundable",
    "refund_kind_for",
    "token_digest",
]
