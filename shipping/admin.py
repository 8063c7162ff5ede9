from django.contrib import admin

from shipping.models import Shipment, ShippingMethod, TrackingEvent


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "carrier", "flat_fee", "per_kg", "transit_days", "is_active")


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    readonly_fields = ("occurred_at", "status", "location", "description")
    fields = readonly_fields


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("tracking_number", "order", "carrier", "status", "warehouse")
    list_filter = ("carrier", "status")
    search_fields = ("tracking_number", "order__number")
    inlines = [TrackingEventInline]
