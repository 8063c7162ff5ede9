"""Base of every domain error. Errors carry a machine-readable code and a kind; HTTP is the API's business."""


class DomainError(Exception):
    """A use case refused. ``kind`` tells the API layer which family of error this is:

    - ``conflict``: wrong state or a lost race (409)
    - ``rule``: a business rule says no (422)
    - ``invalid``: the input itself is wrong (400)
    - ``not_found``: nothing of that name that the caller may see (404)
    - ``unauthenticated``: the caller could not prove who it is (401)
    - ``forbidden``: the caller may not do this (403)
    """

    kind = "rule"
    code = "rule_violated"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class ConflictError(DomainError):
    kind = "conflict"
    code = "conflict"


class InvalidInput(DomainError):
    kind = "invalid"
    code = "invalid"


class NotFound(DomainError):
    kind = "not_found"
    code = "not_found"


class Busy(ConflictError):
    """Someone else holds the row this use case needs (a NOWAIT lock refused): nothing changed, try again.

    Services raise it in place of the database's lock error, so no caller reads error texts to tell
    a busy row from a real database failure.
    """

    code = "busy"
