from django.contrib import admin

from oms.admin_site import LockedAfterCreateMixin
from shipping.models import Shipment, ShippingMethod, TrackingEvent


@admin.register(ShippingMethod)
class ShippingMethodAdmin(LockedAfterCreateMixin, admin.ModelAdmin):
    list_display = ("code", "name", "carrier", "carrier_service", "flat_fee", "per_kg", "transit_days", "is_active")
    locked_after_create = ("flat_fee", "per_kg")


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("occurred_at", "status", "location", "description")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Read-only: shipments change through labels and carrier events (shipping.services)."""

    list_display = ("tracking_number", "order", "carrier", "carrier_service", "rate_amount", "status", "warehouse")
    list_filter = ("carrier", "status")
    search_fields = ("tracking_number", "order__number")
    inlines = [TrackingEventInline]
    readonly_fields = [f.name for f in Shipment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
