from oms.exceptions import Busy, ConflictError, DomainError, InvalidInput, NotFound


class InvalidOrder(InvalidInput):
    code = "invalid_order"


class OrderNotFound(NotFound):
    code = "order_not_found"


class TransitionNotAvailable(ConflictError):
    code = "transition_not_allowed"


class TooLateToCancel(ConflictError):
    code = "too_late_to_cancel"


class UnknownTransition(NotFound):
    code = "unknown_transition"


class TransitionForbidden(DomainError):
    kind = "forbidden"
    code = "permission_denied"


class OrderBusy(Busy):
    """Another request holds the order's row lock (people's requests lock NOWAIT and give up at once)."""

    code = "busy"
