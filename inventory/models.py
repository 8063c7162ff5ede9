from django.db import models
from django.db.models import F, Q


class Product(models.Model):
    sku = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    weight_kg = models.DecimalField(max_digits=8, decimal_places=3, default=0)
    is_active = models.BooleanField(default=True)
    returnable = models.BooleanField(default=True, help_text="Customers may return it (within the return window).")
    reorder_point = models.PositiveIntegerField(default=5, help_text="Alert when available stock falls below this.")
    requires_qc = models.BooleanField(
        default=False, help_text="Every order with it passes a quality check before shipping."
    )
    qc_checks = models.JSONField(
        default=list,
        blank=True,
        help_text='Checks beyond the default ones, e.g. ["serial", "lot", "expiry", "seal intact"]: serial, lot and '
        "expiry are recorded by the inspector, any other name is a tick box.",
    )
    # Preorders: before ``available_from`` the product takes orders beyond stock, up to ``preorder_limit``
    # units in all, which are backordered and allocated when it arrives.
    available_from = models.DateField(null=True, blank=True, help_text="Release date: preorders are taken before it.")
    preorder_limit = models.PositiveIntegerField(
        default=0, help_text="Units that may be ordered beyond stock before the release date."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=Q(weight_kg__gte=0), name="product_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Warehouse(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=2, default="US")
    priority = models.PositiveSmallIntegerField(default=100, help_text="Lower ships first when stock allows.")
    requires_qc = models.BooleanField(default=False, help_text="Every order leaving it passes a quality check.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "code"]

    def __str__(self) -> str:
        return self.code


class StockItem(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_items")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_items")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    bin_location = models.CharField(max_length=20, blank=True)
    low_stock_alerted = models.BooleanField(default=False)

    class Meta:
        ordering = ["product_id", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="stockitem_product_warehouse_unique"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stockitem_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="stockitem_reserved_within_on_hand"),
        ]
        permissions = [
            ("adjust_stock", "Can adjust stock counts"),
            ("receive_stock", "Can book goods receipts"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.on_hand} on hand, {self.reserved} reserved"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    """The ledger: every change to on-hand or reserved, with its reason and what caused it."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Goods receipt"
        ADJUSTMENT = "adjustment", "Adjustment"
        RESERVE = "reserve", "Reserved"
        RELEASE = "release", "Reservation released"
        SHIP = "ship", "Shipped"
        RETURN = "return", "Returned"
        WRITE_OFF = "write_off", "Written off"
        REPICK = "repick", "Re-picked after a failed quality check"

    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    reference = models.CharField(max_length=100, blank=True, help_text="What caused it, e.g. an order number.")
    reason = models.CharField(max_length=200, blank=True)
    actor = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["reference"], name="stockmovement_reference_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.on_hand_delta:+}/{self.reserved_delta:+} ({self.reference})"
