"""One exception handler for the whole API.

Error bodies: validation errors are DRF's field map (``{"field": ["message"], "lines": [{"sku": [...]}]}``)
so a client can point at each bad field; every other error is ``{"code": ..., "detail": ...}``.
Domain errors map by kind: conflict → 409 (a busy row too: its service raises ``oms.exceptions.Busy``, code
"busy"), rule → 422, invalid → 400, not_found → 404.
"""

from django.http import Http404
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from oms.exceptions import DomainError

STATUS_BY_KIND = {
    "conflict": status.HTTP_409_CONFLICT,
    "rule": status.HTTP_422_UNPROCESSABLE_ENTITY,
    "invalid": status.HTTP_400_BAD_REQUEST,
    "not_found": status.HTTP_404_NOT_FOUND,
    "unauthenticated": status.HTTP_401_UNAUTHORIZED,
    "forbidden": status.HTTP_403_FORBIDDEN,
}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        if exc.kind == "invalid":
            # Bad input has one shape wherever it is caught (serializer or service): the field map.
            return Response(exc.fields or {"non_field_errors": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"code": exc.code, "detail": exc.message}, status=STATUS_BY_KIND[exc.kind])
    if isinstance(exc, TransitionNotAllowed | ConcurrentTransition):
        return Response(
            {"code": "invalid_state", "detail": "The order changed state meanwhile; reload it and try again."},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        response.data = {"code": "not_found", "detail": "Not found."}
    elif isinstance(response.data, dict) and "detail" in response.data and len(response.data) == 1:
        code = getattr(response.data["detail"], "code", None) or "error"
        response.data = {"code": code, "detail": str(response.data["detail"])}
    return response
