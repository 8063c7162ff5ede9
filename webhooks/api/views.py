"""The webhook subscriptions API: a storefront manages its own subscriptions and reads their delivery log."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from oms.authentication import StorefrontUser
from oms.idempotency import HEADER, idempotent_post
from oms.pagination import PageNumberPagination
from orders.api.serializers import FIELD_ERRORS, ErrorOutput
from webhooks import selectors, services
from webhooks.api import serializers as s

ERRORS = {400: FIELD_ERRORS, 401: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput, 429: ErrorOutput}
PAGING = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


class IsStorefront(permissions.BasePermission):
    message = "Webhook subscriptions are a storefront's: call with its API key. Staff use the dashboard."

    def has_permission(self, request, view):
        return isinstance(request.user, StorefrontUser)


STOREFRONT = [permissions.IsAuthenticated, IsStorefront]


class SubscriptionListCreateView(APIView):
    permission_classes = STOREFRONT

    @extend_schema(
        operation_id="webhooks_list", parameters=PAGING, responses={200: s.SubscriptionOutput(many=True), **ERRORS}
    )
    def get(self, request):
        queryset = selectors.webhook_subscription_list_for_storefront(storefront=request.user.storefront)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(s.SubscriptionOutput(page, many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        request=s.SubscriptionInput,
        parameters=[
            OpenApiParameter(
                HEADER,
                str,
                OpenApiParameter.HEADER,
                description="Retries with the same key and body return the first answer.",
            )
        ],
        responses={201: s.SubscriptionCreatedOutput, **ERRORS},
    )
    def post(self, request):
        storefront = request.user.storefront
        return idempotent_post(request, owner=f"sf:{storefront.pk}", handler=lambda: self._create(request, storefront))

    def _create(self, request, storefront) -> Response:
        data = s.SubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = services.webhook_subscription_create(
            storefront=storefront,
            url=data.validated_data["url"],
            events=data.validated_data["events"],
            actor=str(request.user),
        )
        return Response(
            s.SubscriptionCreatedOutput(subscription).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/webhooks/{subscription.pk}/"},
        )


class SubscriptionDetailView(APIView):
    permission_classes = STOREFRONT

    @extend_schema(operation_id="webhooks_retrieve", responses={200: s.SubscriptionOutput, **ERRORS})
    def get(self, request, subscription_id: str):
        subscription = selectors.webhook_subscription_get(
            subscription_id=subscription_id, storefront=request.user.storefront
        )
        return Response(s.SubscriptionOutput(subscription).data)

    @extend_schema(operation_id="webhooks_destroy", responses={204: None, **ERRORS})
    def delete(self, request, subscription_id: str):
        subscription = selectors.webhook_subscription_get(
            subscription_id=subscription_id, storefront=request.user.storefront
        )
        services.webhook_subscription_delete(subscription_id=subscription.pk, storefront=request.user.storefront)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(APIView):
    permission_classes = STOREFRONT

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        description="The subscription's deliveries, newest event first.",
        parameters=PAGING,
        responses={200: s.DeliveryOutput(many=True), **ERRORS},
    )
    def get(self, request, subscription_id: str):
        subscription = selectors.webhook_subscription_get(
            subscription_id=subscription_id, storefront=request.user.storefront
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            selectors.webhook_delivery_list(subscription_id=subscription.pk), request, view=self
        )
        return paginator.get_paginated_response(s.DeliveryOutput(page, many=True).data)
