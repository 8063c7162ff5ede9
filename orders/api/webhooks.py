"""Carrier tracking webhooks. The signature is checked on the raw body before anything is parsed."""

import json

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from orders import services
from orders.api.serializers import FIELD_ERRORS, ErrorOutput
from shipping.carriers import carrier_get, verify_signature
from shipping.exceptions import InvalidTrackingEvent

SIGNATURE_HEADER = "X-OMS-Signature"


class CarrierWebhookView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(
        operation_id="shipping_webhook",
        parameters=[
            OpenApiParameter(
                SIGNATURE_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description='t=<unix ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">',
            )
        ],
        request={
            "application/json": {
                "type": "object",
                "properties": {
                    "event_id": {"type": "string"},
                    "tracking_number": {"type": "string"},
                    "status": {"type": "string", "enum": ["in_transit", "out_for_delivery", "delivered", "exception"]},
                    "occurred_at": {"type": "string", "format": "date-time"},
                    "location": {"type": "string"},
                    "description": {"type": "string"},
                },
                "required": ["tracking_number", "status"],
                "description": 'One event; or a list of events, or {"events": [...]}, applied all or nothing.',
            }
        },
        responses={200: {"type": "object"}, 400: FIELD_ERRORS, 401: ErrorOutput, 404: ErrorOutput},
    )
    def post(self, request, carrier: str):
        adapter = carrier_get(carrier)
        body = request.body
        verify_signature(secret=adapter.webhook_secret(), header=request.headers.get(SIGNATURE_HEADER, ""), body=body)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise InvalidTrackingEvent("The body is not valid JSON.") from None
        if isinstance(payload, dict) and isinstance(payload.get("events"), list):
            payload = payload["events"]
        if isinstance(payload, list):
            if not payload:
                raise InvalidTrackingEvent("The batch holds no events.", fields={"events": ["empty"]})
            orders = services.order_tracking_events(carrier=carrier, payloads=payload)
            return Response({"received": True, "events": len(payload), "order_status": orders[-1].status})
        order = services.order_tracking_event(carrier=carrier, payload=payload)
        return Response({"received": True, "order_status": order.status})
