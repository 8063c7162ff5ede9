"""Carrier tracking webhooks. The carrier's adapter checks the signature on the raw body before anything
is parsed, and reads its own event shape into tracking events."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from orders import services
from orders.api.serializers import FIELD_ERRORS, ErrorOutput
from shipping.carriers import carrier_get
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
                required=False,
                description='demo: t=<unix ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">',
            ),
            OpenApiParameter(
                "X-Hmac-Signature",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="easypost: hmac-sha256-hex=<hex HMAC-SHA256 of the body>",
            ),
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
                "description": 'demo: one event; or a list of events, or {"events": [...]}, applied all or '
                "nothing. easypost: its Event (tracker.updated with the Tracker in result); other events are "
                "acknowledged and ignored.",
            }
        },
        responses={200: {"type": "object"}, 400: FIELD_ERRORS, 401: ErrorOutput, 404: ErrorOutput},
    )
    def post(self, request, carrier: str):
        adapter = carrier_get(carrier)
        payload = adapter.tracking_events(headers=request.headers, body=request.body)
        if payload is None:
            return Response({"received": True, "events": 0})
        if isinstance(payload, list):
            if not payload:
                raise InvalidTrackingEvent("The batch holds no events.", fields={"events": ["empty"]})
            orders = services.order_tracking_events(carrier=carrier, payloads=payload)
            return Response({"received": True, "events": len(payload), "order_status": orders[-1].status})
        order = services.order_tracking_event(carrier=carrier, payload=payload)
        return Response({"received": True, "order_status": order.status})
