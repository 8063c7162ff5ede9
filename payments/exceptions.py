from oms.exceptions import DomainError


class GatewayUnavailable(DomainError):
    """The gateway did not answer (timeout, 5xx): safe to retry with the same idempotency key."""

    code = "gateway_unavailable"


class PaymentDeclined(DomainError):
    code = "payment_declined"
