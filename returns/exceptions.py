from oms.exceptions import ConflictError, DomainError, InvalidInput, NotFound


class ReturnNotFound(NotFound):
    code = "return_not_found"


class ReturnNotAllowed(ConflictError):
    """The order cannot take a return now: not delivered, or the return window has passed."""

    code = "return_not_allowed"


class InvalidReturn(InvalidInput):
    """The request itself is wrong: unknown SKU or reason, a quantity above what may still be returned."""

    code = "invalid_return"


class ReturnTransitionNotAvailable(ConflictError):
    code = "transition_not_allowed"


class UnknownReturnTransition(NotFound):
    code = "unknown_transition"


class ReturnTransitionForbidden(DomainError):
    kind = "forbidden"
    code = "permission_denied"
