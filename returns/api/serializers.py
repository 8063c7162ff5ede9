"""Input and output shapes of the returns API. Parsing only: the rules live in the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.api.serializers import TransitionOutput, customer_actor  # noqa: F401 - one schema component
from returns.links import return_label_url
from returns.models import Condition, Resolution, ReturnRequest, ReturnStatus

MAX_LINES = 500
MAX_QUANTITY = 100_000


class ReturnLineInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    reason = serializers.CharField(max_length=30, help_text="A reason code of the shop's policy, e.g. damaged.")
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExchangeLineInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class ReturnCreateInput(serializers.Serializer):
    lines = ReturnLineInput(many=True, allow_empty=False, max_length=MAX_LINES)
    resolution = serializers.ChoiceField(choices=Resolution.choices, default=Resolution.REFUND)
    exchange_lines = ExchangeLineInput(many=True, required=False, default=list, max_length=MAX_LINES)


class InspectLineInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    condition = serializers.ChoiceField(choices=[c for c in Condition.values if c])
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReturnTransitionInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="reject: why (told to the customer)."
    )
    warehouse = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="receive: the warehouse code."
    )
    lines = InspectLineInput(
        many=True, required=False, default=list, max_length=MAX_LINES, help_text="inspect: what was found per SKU."
    )


class ReturnLineOutput(serializers.Serializer):
    sku = serializers.CharField(source="order_line.sku")
    name = serializers.CharField(source="order_line.name")
    quantity = serializers.IntegerField()
    reason = serializers.CharField()
    comment = serializers.CharField()
    condition = serializers.CharField()
    refund_amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class StaffReturnLineOutput(ReturnLineOutput):
    inspector_notes = serializers.CharField()


class ExchangeLineOutput(serializers.Serializer):
    sku = serializers.CharField()
    quantity = serializers.IntegerField()


class ReturnEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()


class ReturnOutput(serializers.Serializer):
    """A return as staff see it: with the full timeline and the inspector's notes."""

    number = serializers.CharField()
    order = serializers.CharField(source="order.number")
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    returnless = serializers.BooleanField()
    reject_reason = serializers.CharField()
    lines = StaffReturnLineOutput(many=True)
    exchange_lines = ExchangeLineOutput(many=True)
    refund_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    replacement_order = serializers.CharField(source="replacement_order.number", allow_null=True, default=None)
    shipping_paid_by = serializers.CharField()
    label_tracking_number = serializers.CharField()
    label_url = serializers.SerializerMethodField()
    opened_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    events = ReturnEventOutput(many=True)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_label_url(self, return_request: ReturnRequest) -> str | None:
        """The signed link to the return label PDF, once the carrier issued it."""
        return return_label_url(return_request.number) if return_request.label_tracking_number else None


class StorefrontReturnOutput(ReturnOutput):
    """A return as its customer may see it: the timeline's status changes only (the rejection reason kept),
    who in broad terms, no inspector's notes."""

    lines = ReturnLineOutput(many=True)
    events = serializers.SerializerMethodField()

    @extend_schema_field(ReturnEventOutput(many=True))
    def get_events(self, return_request: ReturnRequest) -> list[dict]:
        shown = [
            {
                "at": event.at,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "actor": customer_actor(event.actor),
                "note": return_request.reject_reason if event.to_status == ReturnStatus.REJECTED else "",
            }
            for event in return_request.events.all()
            if event.to_status
        ]
        return ReturnEventOutput(shown, many=True).data
