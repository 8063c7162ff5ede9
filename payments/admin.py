from django.contrib import admin

from payments.models import CreditNote, GatewayTransaction, Payment, ProviderEvent, Refund


class GatewayTransactionInline(admin.TabularInline):
    model = GatewayTransaction
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "kind", "outcome", "amount", "reference", "error_code", "message")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class RefundInline(admin.TabularInline):
    """Refunds are given through payments.services.payment_refund only: read-only here."""

    model = Refund
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "kind", "status", "amount", "reason", "reference", "refunded_on", "recorded_by")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class CreditNoteInline(admin.TabularInline):
    model = CreditNote
    extra = 0
    can_delete = False
    readonly_fields = ("number", "issued_on", "amount", "reason")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: payments change through payments.services. The card token is never shown."""

    list_display = ("order", "method", "status", "amount", "captured_amount", "refunded_amount")
    list_filter = ("method", "status")
    search_fields = ("order__number",)
    inlines = [GatewayTransactionInline, RefundInline, CreditNoteInline]
    exclude = ("token",)
    readonly_fields = [f.name for f in Payment._meta.fields if f.name != "token"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProviderEvent)
class ProviderEventAdmin(admin.ModelAdmin):
    """Read-only: the payment provider's webhook events as received, each once, with what they changed."""

    list_display = ("received_at", "provider", "type", "event_id", "payment", "outcome")
    list_filter = ("provider", "type")
    search_fields = ("event_id", "payment__order__number")
    readonly_fields = [f.name for f in ProviderEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
