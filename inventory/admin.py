from django.contrib import admin

from inventory.models import Product, StockItem, StockMovement, Warehouse


class StockItemInline(admin.TabularInline):
    model = StockItem
    extra = 0
    readonly_fields = ("on_hand", "reserved")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "price", "weight_kg", "is_active")
    list_filter = ("is_active",)
    search_fields = ("sku", "name")
    inlines = [StockItemInline]


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "country", "priority", "is_active")


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    list_display = ("product", "warehouse", "on_hand", "reserved", "bin_location")
    list_select_related = ("product", "warehouse")
    search_fields = ("product__sku",)
    # Stock changes go through the ledger (services), never through a form.
    readonly_fields = ("on_hand", "reserved")


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ("created_at", "stock_item", "kind", "on_hand_delta", "reserved_delta", "reference", "actor")
    list_filter = ("kind",)
    search_fields = ("reference", "stock_item__product__sku")
    list_select_related = ("stock_item__product", "stock_item__warehouse")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
