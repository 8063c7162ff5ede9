from oms.exceptions import DomainError


class GatewayUnavailable(DomainError):
    """The gateway did not answer (timeout, 5xx): safe to retry with the same idempotency key."""

    code = "gateway_unavailable"


class PaymentDeclined(DomainError):
    code = "payment_declined"


class BadSignature(DomainError):
    """A provider's webhook whose signature is missing, stale or wrong: nothing of it is believed."""

    kind = "unauthenticated"
    code = "bad_signature"
