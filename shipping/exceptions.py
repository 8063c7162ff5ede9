from oms.exceptions import DomainError, InvalidInput, NotFound


class UnknownCarrier(NotFound):
    code = "unknown_carrier"


class BadSignature(DomainError):
    kind = "unauthenticated"
    code = "bad_signature"


class UnknownShipment(NotFound):
    code = "unknown_shipment"


class InvalidTrackingEvent(InvalidInput):
    code = "invalid_tracking_event"


class CarrierRefused(DomainError):
    """The carrier answered and said no (bad address, no such service, label already used): retrying the
    same request will not help; a carrier that does not answer raises ``oms.provider_http.ProviderUnreachable``."""

    code = "carrier_refused"
