"""Shapes of the reports API (for rendering and the OpenAPI schema)."""

from rest_framework import serializers


class PercentilesOutput(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True, help_text="Median, hours.")
    p90 = serializers.FloatField(allow_null=True, help_text="90th percentile, hours.")


class CycleTimesOutput(serializers.Serializer):
    placed_to_confirmed = PercentilesOutput()
    confirmed_to_shipped = PercentilesOutput()
    shipped_to_delivered = PercentilesOutput()
    placed_to_delivered = PercentilesOutput()


class CsatOutput(serializers.Serializer):
    average = serializers.FloatField(allow_null=True, help_text="Average rating 1–5; null without responses.")
    responses = serializers.IntegerField()


class SummaryOutput(serializers.Serializer):
    def get_fields(self):
        fields = {
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "orders": serializers.IntegerField(help_text="Orders placed in the range, any status."),
            "units": serializers.IntegerField(help_text="Units of those orders not cancelled."),
            "revenue": serializers.DecimalField(
                max_digits=16, decimal_places=2, help_text="Sum of total of those orders not cancelled."
            ),
            "average_order_value": serializers.DecimalField(
                max_digits=16, decimal_places=2, allow_null=True, help_text="revenue / orders not cancelled."
            ),
            "cancelled": serializers.IntegerField(help_text="Orders placed in the range that are now cancelled."),
            "on_time_ship_rate": serializers.FloatField(
                allow_null=True,
                help_text="Of orders shipped in the range with a promised ship date, the share on time.",
            ),
            "cycle_time_hours": CycleTimesOutput(),
            "holds_by_reason": serializers.DictField(child=serializers.IntegerField()),
            "csat": CsatOutput(),
        }
        return fields


class TimeseriesPointOutput(serializers.Serializer):
    period = serializers.DateField(help_text="First day of the period (weeks start on Monday).")
    value = serializers.JSONField(help_text="An integer for orders and units, a decimal string for revenue.")
