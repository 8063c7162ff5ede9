from django.contrib import admin

from orders.models import Customer, Order, OrderEvent, OrderLine, TaxRate


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    """Credit terms change on the dashboard (finance), where the change is checked and logged."""

    list_display = ("name", "email", "payment_terms", "credit_limit")
    list_filter = ("payment_terms",)
    search_fields = ("name", "email")
    readonly_fields = ("payment_terms", "credit_limit", "storefront")
    # Which other storefronts may bill this customer on account: the one setting made here.
    filter_horizontal = ("shared_with",)


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ("country", "rate")


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ("sku", "name", "quantity", "unit_price", "line_total", "quantity_reserved", "quantity_shipped")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: orders change through their transitions (API and dashboard), never through a form."""

    list_display = ("number", "status", "channel", "customer", "total", "placed_at")
    list_filter = ("status", "channel", "hold_reason")
    search_fields = ("number", "customer__email", "customer__name")
    list_select_related = ("customer",)
    inlines = [OrderLineInline, OrderEventInline]
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
