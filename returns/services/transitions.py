"""Transitions staff take by name (the API's ``/transitions/<name>/``, the dashboard's buttons): which exist,
which the caller may take now, and the one entry point that checks permission (403) and state (409)."""

from returns import services
from returns.exceptions import ReturnTransitionForbidden, ReturnTransitionNotAvailable, UnknownReturnTransition
from returns.models import ReturnRequest

# In the order staff meet them.
RETURN_TRANSITIONS = ("authorize", "reject", "receive", "inspect", "refund", "exchange", "close", "cancel")


def _permission(return_request: ReturnRequest, name: str) -> str:
    method = getattr(return_request, name)
    meta = method._django_fsm
    transition = meta.get_transition(return_request.status) or next(iter(meta.transitions.values()))
    return transition.permission


def return_transitions_available(*, return_request: ReturnRequest, user) -> list[dict]:
    """The transitions ``user`` may take on the return right now: [{name, target}]."""
    return [
        {"name": t.name, "target": str(t.target)}
        for t in return_request.get_available_user_status_transitions(user)
        if t.name in RETURN_TRANSITIONS
    ]


def return_transition(*, return_request: ReturnRequest, name: str, user, **params) -> ReturnRequest:
    """Take transition ``name`` as ``user``: 404 unknown, 403 not permitted, 409 not now.

    ``params``: ``reason`` for reject, ``warehouse`` (code) for receive, ``lines`` for inspect.
    """
    if name not in RETURN_TRANSITIONS:
        raise UnknownReturnTransition(f"Unknown transition '{name}'. Known: {', '.join(RETURN_TRANSITIONS)}.")
    return_request = ReturnRequest.objects.select_related("order").get(pk=return_request.pk)  # as it is now
    permission = _permission(return_request, name)
    if permission and not user.has_perm(permission):
        raise ReturnTransitionForbidden(f"You do not have permission to {name} returns.")
    meta = getattr(return_request, name)._django_fsm
    if meta.get_transition(return_request.status) is None or not meta.conditions_met(
        return_request, return_request.status
    ):
        raise ReturnTransitionNotAvailable(
            f"Cannot {name} return {return_request.number}: it is {return_request.get_status_display().lower()}."
        )
    if name == "reject":
        return services.return_reject(return_request=return_request, reason=params.get("reason", ""), user=user)
    if name == "receive":
        return services.return_receive(return_request=return_request, warehouse=params.get("warehouse", ""), user=user)
    if name == "inspect":
        return services.return_inspect(return_request=return_request, lines=params.get("lines") or [], user=user)
    return getattr(services, f"return_{name}")(return_request=return_request, user=user)
