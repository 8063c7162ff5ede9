from django.contrib import admin

from inventory.models import (
    CycleCount,
    CycleCountLine,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    StockItem,
    StockMovement,
    Supplier,
    Transfer,
    TransferLine,
    Warehouse,
)
from oms.admin_site import LockedAfterCreateMixin

# Stock changes go through the ledger (inventory.services), never through a form: quantities are read-only,
# and a stock row stays with the product and warehouse it was created for.


class StockItemInline(admin.TabularInline):
    model = StockItem
    extra = 0
    can_delete = False
    fields = ("warehouse", "on_hand", "reserved", "bin_location")
    readonly_fields = ("warehouse", "on_hand", "reserved")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(LockedAfterCreateMixin, admin.ModelAdmin):
    list_display = ("sku", "name", "price", "weight_kg", "is_active")
    list_filter = ("is_active",)
    search_fields = ("sku", "name")
    inlines = [StockItemInline]
    locked_after_create = ("price",)


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "country", "priority", "is_active")


@admin.register(StockItem)
class StockItemAdmin(LockedAfterCreateMixin, admin.ModelAdmin):
    list_display = ("product", "warehouse", "on_hand", "reserved", "bin_location")
    list_select_related = ("product", "warehouse")
    search_fields = ("product__sku",)
    readonly_fields = ("on_hand", "reserved")
    locked_after_create = ("product", "warehouse")

    def has_delete_permission(self, request, obj=None):
        return False


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

    def has_delete_permission(self, request, obj=None):
        return False


# --- Purchasing: the dashboard's purchasing pages are the way to change these; the admin shows them. -------


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_name", "email", "lead_time_days", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "contact_name", "email")


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    can_delete = False
    fields = ("product", "quantity_ordered", "quantity_received", "unit_cost")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "supplier", "warehouse", "status", "expected_date", "sent_at")
    list_filter = ("status", "supplier")
    search_fields = ("number", "supplier__name")
    list_select_related = ("supplier", "warehouse")
    inlines = [PurchaseOrderLineInline]
    # Status, numbers and receipts change through inventory.purchasing (locks, the stock ledger), not here.
    readonly_fields = (
        "number",
        "supplier",
        "warehouse",
        "status",
        "currency",
        "created_by",
        "sent_at",
        "emailed_at",
        "received_at",
        "cancelled_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Transfers and cycle counts: read-only here, they change only through inventory.transfers and .counts ---


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyInline(admin.TabularInline):
    """Lines shown with their document, changed only through the services (as ``_ReadOnlyAdmin``)."""

    extra = 0
    has_add_permission = _ReadOnlyAdmin.has_add_permission
    has_change_permission = _ReadOnlyAdmin.has_change_permission
    has_delete_permission = _ReadOnlyAdmin.has_delete_permission


class TransferLineInline(_ReadOnlyInline):
    model = TransferLine
    fields = ("product", "quantity", "quantity_received")
    readonly_fields = fields


@admin.register(Transfer)
class TransferAdmin(_ReadOnlyAdmin):
    list_display = ("number", "from_warehouse", "to_warehouse", "status", "created_at", "shipped_at", "received_at")
    list_filter = ("status",)
    search_fields = ("number",)
    list_select_related = ("from_warehouse", "to_warehouse")
    inlines = [TransferLineInline]


class CycleCountLineInline(_ReadOnlyInline):
    model = CycleCountLine
    fields = ("stock_item", "bin_location", "expected_on_hand", "counted", "on_hand_at_count", "variance")
    readonly_fields = fields


@admin.register(CycleCount)
class CycleCountAdmin(_ReadOnlyAdmin):
    list_display = ("number", "warehouse", "bin_from", "bin_to", "status", "created_at", "posted_at")
    list_filter = ("status",)
    search_fields = ("number",)
    list_select_related = ("warehouse",)
    inlines = [CycleCountLineInline]
