"""Stripe's webhook: the signature is checked on the raw body before anything is parsed."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from payments.provider_events import SIGNATURE_HEADER, stripe_event_apply, stripe_event_parse

ERROR = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["code", "detail"],
}


class StripeWebhookView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(
        operation_id="payments_stripe_webhook",
        summary="Stripe webhook (payment_intent.* and charge.refunded events)",
        parameters=[
            OpenApiParameter(
                SIGNATURE_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description='t=<unix ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>" with the endpoint secret>',
            )
        ],
        request={
            "application/json": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "type": {"type": "string"},
                    "data": {"type": "object", "properties": {"object": {"type": "object"}}},
                },
                "required": ["id", "type", "data"],
            }
        },
        responses={
            200: {
                "type": "object",
                "properties": {"received": {"type": "boolean"}, "outcome": {"type": "string"}},
            },
            400: OpenApiResponse({"type": "object", "additionalProperties": True}, description="Bad event."),
            401: ERROR,
        },
    )
    def post(self, request):
        event = stripe_event_parse(header=request.headers.get(SIGNATURE_HEADER, ""), body=request.body)
        record = stripe_event_apply(event=event)
        return Response({"received": True, "outcome": record.outcome})
