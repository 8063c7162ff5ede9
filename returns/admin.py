from django.contrib import admin

from returns.models import ExchangeLine, ReturnEvent, ReturnLine, ReturnRequest


class ReturnLineInline(admin.TabularInline):
    model = ReturnLine
    extra = 0
    raw_id_fields = ["order_line"]


class ExchangeLineInline(admin.TabularInline):
    model = ExchangeLine
    extra = 0
    raw_id_fields = ["product"]


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    extra = 0
    readonly_fields = ["at", "actor", "from_status", "to_status", "note"]


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "order", "status", "resolution", "refund_total", "created_at"]
    list_filter = ["status", "resolution"]
    search_fields = ["number", "order__number"]
    raw_id_fields = ["order", "replacement_order", "created_by"]
    readonly_fields = ["status"]
    inlines = [ReturnLineInline, ExchangeLineInline, ReturnEventInline]
