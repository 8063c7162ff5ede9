"""Returns API: parse, call one service or selector, render."""

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from oms.idempotency import idempotent_post
from orders import selectors as order_selectors
from orders.api.serializers import ErrorOutput
from orders.api.views import (
    ERRORS,
    IDEMPOTENCY_HEADER,
    STAFF,
    STOREFRONT_ERRORS,
    STOREFRONT_OR_STAFF,
    _caller,
    _owner,
)
from returns import selectors, services
from returns.api import serializers as s
from returns.documents import return_label_pdf
from returns.exceptions import ReturnNotFound
from returns.links import return_number_from_label_token
from returns.models import OpenedBy


def _output(return_request, caller: dict) -> dict:
    output = s.StorefrontReturnOutput if "storefront" in caller else s.ReturnOutput
    return output(return_request).data


def return_webhook_data(*, event) -> dict:
    """A ``return.*`` webhook event's ``data``: the return exactly as ``GET /api/v1/returns/<number>/`` shows it
    to the event's storefront, and the order's number (named by ``OMS_WEBHOOK_DATA_BUILDERS``)."""
    caller = {"storefront": event.storefront}
    return {"return": _output(selectors.return_get_for_api(number=event.subject_ref, **caller), caller)}


class OrderReturnsView(APIView):
    permission_classes = STOREFRONT_OR_STAFF

    @extend_schema(
        operation_id="orders_returns_list",
        summary="The returns of an order",
        responses={200: s.ReturnOutput(many=True), **STOREFRONT_ERRORS},
    )
    def get(self, request, number: str):
        caller = _caller(request)
        order = order_selectors.order_get_for_api(number=number, **caller, detail=False)
        returns = selectors.return_list_for_order(order=order)
        return Response([_output(r, caller) for r in returns])

    @extend_schema(
        operation_id="orders_returns_create",
        summary="Open a return (RMA) on a delivered order",
        description=(
            "Within the return window after delivery (OMS_RETURN_WINDOW_DAYS). `exchange_lines` only (and "
            "required) for `resolution: exchange`. 409 when the order is not delivered or the window has passed; "
            "400 naming the line when a quantity exceeds what may still be returned, a SKU is not on the order or "
            "may not be returned, or a reason is not one of the policy's. Returns whose every reason the policy "
            "authorizes at once come back `authorized`; the label follows by email. Staff open returns on a "
            "customer's behalf with the `returns.open_return` permission."
        ),
        request=s.ReturnCreateInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: s.ReturnOutput, **STOREFRONT_ERRORS},
    )
    def post(self, request, number: str):
        caller = _caller(request)
        return idempotent_post(
            request, owner=_owner(request, caller), handler=lambda: self._create(request, caller, number)
        )

    def _create(self, request, caller: dict, number: str) -> Response:
        data = s.ReturnCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_selectors.order_get_for_api(number=number, **caller, detail=False)
        user = caller.get("user")
        if user is not None and not user.has_perm("returns.open_return"):
            raise PermissionDenied("You do not have permission to open returns.")
        v = data.validated_data
        created = services.return_request_create(
            order=order,
            lines=v["lines"],
            resolution=v["resolution"],
            exchange_lines=v["exchange_lines"],
            opened_by=OpenedBy.STAFF if user is not None else OpenedBy.CUSTOMER,
            user=user,
        )
        found = selectors.return_get_for_api(number=created.number, **caller)
        return Response(_output(found, caller), status=status.HTTP_201_CREATED)


class ReturnDetailView(APIView):
    permission_classes = STOREFRONT_OR_STAFF

    @extend_schema(
        operation_id="returns_retrieve",
        description="With its lines, timeline (events) and the signed link to the return label once issued. "
        "Storefronts see only returns of their own orders, and the timeline's status changes only.",
        responses={200: s.ReturnOutput, **STOREFRONT_ERRORS},
    )
    def get(self, request, number: str):
        caller = _caller(request)
        return Response(_output(selectors.return_get_for_api(number=number, **caller), caller))


class ReturnTransitionListView(APIView):
    permission_classes = STAFF

    @extend_schema(operation_id="returns_transitions", responses={200: s.TransitionOutput(many=True), **ERRORS})
    def get(self, request, number: str):
        found = selectors.return_get_for_api(number=number, user=request.user)
        available = services.return_transitions_available(return_request=found, user=request.user)
        return Response(s.TransitionOutput(available, many=True).data)


class ReturnTransitionView(APIView):
    permission_classes = STAFF

    @extend_schema(
        operation_id="returns_transition",
        summary="Take a transition on a return",
        description=(
            "Names: authorize, reject (`reason`), receive (`warehouse` code), inspect (`lines`: sku, quantity, "
            "condition resellable | damaged | defective), refund, exchange, close, cancel. 403 without the "
            "permission, 409 when not allowed now."
        ),
        request=s.ReturnTransitionInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={200: s.ReturnOutput, **ERRORS},
    )
    def post(self, request, number: str, name: str):
        return idempotent_post(
            request, owner=f"user:{request.user.pk}", handler=lambda: self._take(request, number, name)
        )

    def _take(self, request, number: str, name: str) -> Response:
        data = s.ReturnTransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        found = selectors.return_get_for_api(number=number, user=request.user)
        services.return_transition(return_request=found, name=name, user=request.user, **data.validated_data)
        return Response(s.ReturnOutput(selectors.return_get_for_api(number=number, user=request.user)).data)


class PDFRenderer(BaseRenderer):
    """Lets a client that asks for ``application/pdf`` only get the label (and an error as JSON bytes)."""

    media_type = "application/pdf"
    format = "pdf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class ReturnLabelView(APIView):
    """The return label PDF behind the signed link in the customer's email and the API answer."""

    authentication_classes = []
    permission_classes = []
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        operation_id="returns_label",
        summary="The return label (PDF) behind a signed link",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: ErrorOutput,
        },
    )
    def get(self, request, token: str):
        number = return_number_from_label_token(token)
        found = selectors.return_get(number=number) if number else None
        if found is None or not found.label_tracking_number:
            raise ReturnNotFound("No such return label.")
        response = HttpResponse(return_label_pdf(return_request=found), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="return-label-{found.number}.pdf"'
        return response
