from django.contrib import admin

from payments.models import GatewayTransaction, Payment


class GatewayTransactionInline(admin.TabularInline):
    model = GatewayTransaction
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "kind", "outcome", "amount", "reference", "error_code", "message")
    fields = readonly_fields


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("order", "method", "status", "amount", "captured_amount", "refunded_amount")
    list_filter = ("method", "status")
    search_fields = ("order__number",)
    inlines = [GatewayTransactionInline]
    readonly_fields = [f.name for f in Payment._meta.fields]
