"""Orders API: parse, call one service or selector, render."""

from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oms.authentication import StorefrontUser, staff_token_create
from oms.idempotency import HEADER, idempotent_post
from oms.pagination import PageNumberPagination
from oms.throttling import login_retry_after
from orders import selectors, services
from orders.api import serializers as s
from orders.models import Channel, OrderStatus
from orders.services import AddressInput, PlacementInput

ERRORS = {400: s.FIELD_ERRORS, 401: s.ErrorOutput, 403: s.ErrorOutput, 404: s.ErrorOutput, 409: s.ErrorOutput}
# Storefront calls past their rate get 429 with Retry-After.
STOREFRONT_ERRORS = {**ERRORS, 429: s.ErrorOutput}

# A placement whose order number another order took a moment before (see ``number_clashed``) is placed again.
PLACEMENT_TRIES = 3


class IsStaff(permissions.BasePermission):
    """Staff who may see orders: the same test as the dashboard's order pages (``orders.view_order``)."""

    message = "Staff with a role that may view orders only."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_staff and user.has_perm("orders.view_order"))


class IsStorefrontOrStaff(IsStaff):
    """A storefront (which sees only its own orders), or staff who may see orders."""

    def has_permission(self, request, view):
        return isinstance(request.user, StorefrontUser) or super().has_permission(request, view)


STOREFRONT_OR_STAFF = [permissions.IsAuthenticated, IsStorefrontOrStaff]
STAFF = [permissions.IsAuthenticated, IsStaff]


def _caller(request) -> dict:
    if isinstance(request.user, StorefrontUser):
        return {"storefront": request.user.storefront}
    return {"user": request.user}


def _actor(request) -> str:
    return str(request.user) if isinstance(request.user, StorefrontUser) else request.user.get_username()


def _owner(request, caller: dict) -> str:
    """Whose Idempotency-Key space a request uses: the storefront's or the staff user's."""
    return f"sf:{caller['storefront'].pk}" if "storefront" in caller else f"user:{request.user.pk}"


IDEMPOTENCY_HEADER = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, description="Retries with the same key and body return the first answer."
)


def _address(data: dict | None) -> AddressInput | None:
    return AddressInput(**data) if data else None


def _detail(order, caller: dict) -> dict:
    """The order with its timeline and shipments; a storefront gets the customer's view of the timeline."""
    output = s.StorefrontOrderDetailOutput if "storefront" in caller else s.OrderDetailOutput
    return output(order).data


def _summary(caller: dict) -> type[s.OrderOutput]:
    """The order without its timeline: staff get its fraud screening as well."""
    return s.OrderOutput if "storefront" in caller else s.StaffOrderOutput


def order_webhook_data(*, event) -> dict:
    """A webhook event's ``data``: the order exactly as ``GET /api/v1/orders/<number>/`` shows it to the event's
    storefront (named by ``OMS_WEBHOOK_DATA_BUILDERS``)."""
    caller = {"storefront": event.storefront}
    return {"order": _detail(selectors.order_get_for_api(number=event.order.number, **caller), caller)}


def _moment(text: str):
    """An ISO 8601 date-time PostgreSQL can compare (UTC offset within ±15:59, year 1 or later in UTC); None
    when it is not one. A naive time is read in the shop's time zone."""
    try:
        moment = parse_datetime(text)
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        if abs(moment.utcoffset()) >= timedelta(hours=16):
            return None
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # well formed but impossible: month 13, year 0 once in UTC
        return None


class OrderListCreateView(APIView):
    permission_classes = STOREFRONT_OR_STAFF

    @extend_schema(
        operation_id="orders_list",
        parameters=[
            OpenApiParameter("status", str, description="Comma-separated statuses."),
            OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="ISO 8601; orders changed since."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        description="Staff also get each order's fraud screening (risk); storefronts never do.",
        responses={200: s.OrderOutput(many=True), **STOREFRONT_ERRORS},
    )
    def get(self, request):
        status_filter = request.query_params.get("status")
        if status_filter:
            unknown = [v for v in status_filter.split(",") if v not in OrderStatus.values]
            if unknown:
                raise ValidationError({"status": [f"Unknown status: {', '.join(unknown)}."]})
        updated_since = None
        if raw := request.query_params.get("updated_since"):
            updated_since = _moment(raw.replace(" ", "+"))
            if updated_since is None:
                raise ValidationError({"updated_since": ["Use an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z."]})
        caller = _caller(request)
        queryset = selectors.order_list_for_api(**caller, status=status_filter, updated_since=updated_since)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(_summary(caller)(page, many=True).data)

    @extend_schema(
        operation_id="orders_create",
        request=s.OrderCreateInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: s.OrderOutput, **STOREFRONT_ERRORS},
    )
    def post(self, request):
        caller = _caller(request)
        if "user" in caller and not request.user.has_perm("orders.add_order"):
            raise PermissionDenied("You may not place orders.")
        for attempt in range(PLACEMENT_TRIES):
            try:
                return idempotent_post(
                    request, owner=_owner(request, caller), handler=lambda: self._place(request, caller), along=True
                )
            except IntegrityError as error:  # rolled back whole: claim, order and all
                if attempt + 1 == PLACEMENT_TRIES or not services.number_clashed(error):
                    raise

    def _place(self, request, caller) -> Response:
        v = s.order_create_validated(request.data)
        channel = Channel.WEB if "storefront" in caller else v["channel"]
        order = services.order_place(
            data=PlacementInput(
                customer_email=v["customer"]["email"],
                customer_name=v["customer"]["name"],
                customer_phone=v["customer"]["phone"],
                lines=[(line["sku"], line["quantity"]) for line in v["lines"]],
                shipping_address=_address(v["shipping_address"]),
                billing_address=_address(v["billing_address"]),
                shipping_method=v["shipping_method"],
                payment_method=v["payment"]["method"],
                payment_token=v["payment"]["token"],
                notes=v["notes"],
                channel=channel,
                storefront_id=caller["storefront"].pk if "storefront" in caller else None,
                ship_partial=v["ship_partial"],
            ),
            actor=_actor(request),
        )
        if settings.OMS_TASKS_INLINE and not transaction.get_connection().in_atomic_block:
            # Committed, and the work run at commit (in-process tasks) may have moved it on already: read it
            # again. Not refresh_from_db(): django-fsm lifts the field's protection class-wide for it, which
            # races in threads. Otherwise the order as placed is the order as stored (its lines with it).
            order = selectors.order_get_for_api(number=order.number, **caller, detail=False)
        return Response(
            s.reused(_summary(caller)).to_representation(order),
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/orders/{order.number}/"},
        )


class OrderDetailView(APIView):
    permission_classes = STOREFRONT_OR_STAFF

    @extend_schema(
        operation_id="orders_retrieve",
        description="With the timeline (events) and shipments. Storefronts see the timeline as the customer may: "
        "status changes only, the actor as customer, staff or system, and as note only the hold reason code "
        "of the current hold.",
        responses={200: s.OrderDetailOutput, **STOREFRONT_ERRORS},
    )
    def get(self, request, number: str):
        caller = _caller(request)
        return Response(_detail(selectors.order_get_for_api(number=number, **caller), caller))


class OrderCancelView(APIView):
    permission_classes = STOREFRONT_OR_STAFF

    @extend_schema(
        operation_id="orders_cancel",
        description="Without `lines`, cancels the whole order. With `lines`, cancels only those quantities (a "
        "line reaching 0 is removed): stock is released, totals recomputed, the card captures less or a paid "
        "transfer shows the refund due, and the customer is emailed; cancelling every remaining unit cancels the "
        "order. Part cancels are allowed until fulfillment starts (409 after) and need `orders.change_lines` "
        "(staff). 400 names the line asking more than is on it or an SKU not on the order.",
        request=s.CancelInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={200: s.OrderDetailOutput, **STOREFRONT_ERRORS},
    )
    def post(self, request, number: str):
        caller = _caller(request)
        return idempotent_post(
            request, owner=_owner(request, caller), handler=lambda: self._cancel(request, caller, number)
        )

    def _cancel(self, request, caller: dict, number: str) -> Response:
        data = s.CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        order = selectors.order_get_for_api(number=number, **caller, detail=False)
        if v.get("lines"):
            services.order_lines_cancel(
                order_id=order.pk,
                lines=[(line["sku"], line["quantity"]) for line in v["lines"]],
                actor=_actor(request),
                user=caller.get("user"),
                reason=v["reason"],
            )
        elif "storefront" in caller:
            services.order_cancel_by_customer(order_id=order.pk, actor=_actor(request), reason=v["reason"])
        else:
            services.order_transition(order_id=order.pk, name="cancel", user=request.user, reason=v["reason"])
        return Response(_detail(selectors.order_get_for_api(number=number, **caller), caller))


class OrderLinesView(APIView):
    permission_classes = STOREFRONT_OR_STAFF

    @extend_schema(
        operation_id="orders_lines_change",
        summary="Change the lines of an order",
        description=(
            "`lines` is the complete new set: lines left out are removed, new SKUs added. Lines already on the "
            "order keep the unit price they were sold at, new lines take the catalog price; shipping (by weight) "
            "and tax are quoted again. Stock is reserved for increases and released for decreases; an order "
            'that ships in parts backorders what is short, any other gets 400 naming the line ("Only N '
            'available."). A card authorized for less than the new total is authorized again first: declined, '
            "the answer is 422 `payment_declined` and the order is unchanged. A paid bank transfer shows the "
            "balance due or the refund due in `payment`; an on-account order over its credit limit goes on hold "
            "(credit). The same lines again change nothing. 409 once fulfillment started or the order is "
            "cancelled. Storefronts change their own orders; staff need `orders.change_lines`."
        ),
        request=s.LinesChangeInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={200: s.OrderDetailOutput, 422: s.ErrorOutput, **STOREFRONT_ERRORS},
    )
    def post(self, request, number: str):
        caller = _caller(request)
        if "user" in caller and not request.user.has_perm("orders.change_lines"):
            raise PermissionDenied("You may not change the lines of orders.")
        return idempotent_post(
            request, owner=_owner(request, caller), handler=lambda: self._change(request, caller, number)
        )

    def _change(self, request, caller: dict, number: str) -> Response:
        data = s.LinesChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = selectors.order_get_for_api(number=number, **caller, detail=False)
        services.order_lines_change(
            order_id=order.pk,
            lines=[(line["sku"], line["quantity"]) for line in data.validated_data["lines"]],
            actor=_actor(request),
            user=caller.get("user"),
        )
        return Response(_detail(selectors.order_get_for_api(number=number, **caller), caller))


class OrderPaymentRetryView(APIView):
    permission_classes = STOREFRONT_OR_STAFF

    @extend_schema(
        operation_id="orders_payment_retry",
        summary="Pay a held order with a new card",
        description=(
            "For an order on hold because its payment failed (card declined, gateway gave up): a new card "
            "payment is made with the token, the hold is released and the payment runs at once. The order "
            "comes back confirmed when the card is authorized, or on hold (payment_failed) again when it is "
            "declined; the old payment stays in the history. 409 when the order is not on hold for a failed "
            "payment. Storefronts may retry their own orders; staff need the release permission."
        ),
        request=s.PaymentRetryInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={200: s.OrderDetailOutput, **STOREFRONT_ERRORS},
    )
    def post(self, request, number: str):
        caller = _caller(request)
        return idempotent_post(
            request, owner=_owner(request, caller), handler=lambda: self._retry(request, caller, number)
        )

    def _retry(self, request, caller: dict, number: str) -> Response:
        data = s.PaymentRetryInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = selectors.order_get_for_api(number=number, **caller, detail=False)
        services.order_payment_retry(
            order_id=order.pk, token=data.validated_data["token"], actor=_actor(request), user=caller.get("user")
        )
        return Response(_detail(selectors.order_get_for_api(number=number, **caller), caller))


class OrderTransitionListView(APIView):
    permission_classes = STAFF

    @extend_schema(operation_id="orders_transitions", responses={200: s.TransitionOutput(many=True), **ERRORS})
    def get(self, request, number: str):
        order = selectors.order_get_for_api(number=number, user=request.user, detail=False)
        return Response(
            s.TransitionOutput(services.transitions_available(order=order, user=request.user), many=True).data
        )


class OrderTransitionView(APIView):
    permission_classes = STAFF

    @extend_schema(
        operation_id="orders_transition", request=s.OrderTransitionInput, responses={200: s.OrderDetailOutput, **ERRORS}
    )
    def post(self, request, number: str, name: str):
        data = s.OrderTransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = selectors.order_get_for_api(number=number, user=request.user, detail=False)
        services.order_transition(
            order_id=order.pk,
            name=name,
            user=request.user,
            reason=data.validated_data["reason"],
            hold_reason=data.validated_data["hold_reason"],
        )
        return Response(s.OrderDetailOutput(selectors.order_get_for_api(number=number, user=request.user)).data)


class OrderPickListView(APIView):
    permission_classes = STAFF

    @extend_schema(operation_id="orders_pick_list", responses={200: s.PickListOutput(many=True), **ERRORS})
    def get(self, request, number: str):
        order = selectors.order_get_for_api(number=number, user=request.user, detail=False)
        return Response(s.PickListOutput(selectors.pick_list_for_order(order=order), many=True).data)


class StaffTokenView(APIView):
    """Exchange a staff username and password for an API token (``Authorization: Token <token>``).

    Each call issues a new token, valid for ``OMS_STAFF_TOKEN_TTL_HOURS``. Wrong passwords count towards the
    same lockout as the dashboard's login form (per user name and per client address): once locked out, the
    answer is 429 with Retry-After, even for the right password.
    """

    authentication_classes = []
    permission_classes = []

    @extend_schema(
        operation_id="auth_token",
        request=AuthTokenSerializer,
        responses={200: s.StaffTokenOutput, 400: s.FIELD_ERRORS, 429: s.ErrorOutput},
    )
    def post(self, request):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        if not credentials.is_valid():
            if getattr(request, "axes_locked_out", False):  # set by django-axes while it refused the login
                raise Throttled(wait=login_retry_after(), detail="Too many failed sign-ins; try again later.")
            raise ValidationError(credentials.errors)
        user = credentials.validated_data["user"]
        if not user.is_staff:
            raise ValidationError({"non_field_errors": ["Only staff accounts get API tokens."]})
        token, key = staff_token_create(user=user)
        return Response(s.StaffTokenOutput({"token": key, "expires_at": token.expires_at}).data)
