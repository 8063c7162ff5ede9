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
