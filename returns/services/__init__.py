"""Return use cases. Each is one transaction; see the modules: ``lifecycle`` (open, authorize, reject,
close, cancel), ``inspection`` (receive, inspect) and ``resolution`` (refund, exchange, claims, returnless)."""

from returns.services.inspection import return_inspect, return_receive
from returns.services.lifecycle import (
    return_authorize,
    return_cancel,
    return_close,
    return_label_buy,
    return_labels_redrive,
    return_reject,
    return_request_create,
)
from returns.services.transitions import RETURN_TRANSITIONS, return_transition, return_transitions_available

# Refund and exchange live in ``resolution``, which imports payments and order placement: loaded on first use.
_RESOLUTION = ("return_refund", "return_exchange")


def __getattr__(name: str):
    if name in _RESOLUTION:
        from returns.services import resolution

        return getattr(resolution, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RETURN_TRANSITIONS",
    "return_authorize",
    "return_cancel",
    "return_close",
    "return_exchange",
    "return_inspect",
    "return_label_buy",
    "return_labels_redrive",
    "return_receive",
    "return_refund",
    "return_reject",
    "return_request_create",
    "return_transition",
    "return_transitions_available",
]
