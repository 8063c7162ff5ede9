from rest_framework import serializers

from webhooks.events import EVENT_TYPES


class SubscriptionInput(serializers.Serializer):
    url = serializers.CharField(max_length=2000, help_text='https:// and a public host (see README "Webhooks").')
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), allow_empty=False, max_length=len(EVENT_TYPES) * 2
    )


class SubscriptionOutput(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
    disabled_reason = serializers.CharField(help_text="Why the subscription was disabled; empty while active.")
    created_at = serializers.DateTimeField()


class SubscriptionCreatedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    secret = serializers.CharField(help_text="Signs every delivery (X-OMS-Signature). Shown only in this answer.")
    is_active = serializers.BooleanField()


class DeliveryOutput(serializers.Serializer):
    event_id = serializers.CharField(source="event.public_id")
    type = serializers.CharField(source="event.type")
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(allow_null=True)
    next_retry_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField(source="event.created_at")
