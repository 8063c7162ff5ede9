from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition


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
    # Purchasing: who it is bought from, and how many days of sales to keep as safety stock (reorder.py).
    supplier = models.ForeignKey(
        "inventory.Supplier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        help_text="The default supplier: reorder suggestions are drafted as purchase orders to it.",
    )
    safety_stock_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days of sales kept as safety stock (blank: OMS_SAFETY_STOCK_DAYS)."
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


# --- Purchasing: suppliers and purchase orders (services in inventory.purchasing) ---------------------------


class Supplier(models.Model):
    name = models.CharField(max_length=200, unique=True)
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="Purchase orders are emailed here when sent.")
    phone = models.CharField(max_length=50, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days from sending a purchase order to the goods arriving."
    )
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PurchaseOrderSequence(models.Model):
    """The last purchase order number given in a year: its row is locked to give the next (PO-<year>-<six>)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class PurchaseOrderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    PARTIALLY_RECEIVED = "partially_received", "Partially received"
    RECEIVED = "received", "Received"
    CANCELLED = "cancelled", "Cancelled"


PO = PurchaseOrderStatus
# Statuses in which goods are still to come (a draft counts: it is about to be ordered).
PO_OPEN = (PO.DRAFT, PO.SENT, PO.PARTIALLY_RECEIVED)
# Statuses the supplier knows of: their dates are promises customers may be told.
PO_ORDERED = (PO.SENT, PO.PARTIALLY_RECEIVED)


class PurchaseOrder(FSMModelMixin, models.Model):
    """An order to a supplier for goods delivered into one warehouse.

    ``status`` is a protected FSM field: draft → sent → partially_received → received, or cancelled before
    anything arrived. The transitions below are pure; ``inventory.purchasing`` locks, saves and books stock.
    """

    number = models.CharField(max_length=20, unique=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="purchase_orders")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="purchase_orders")
    status = FSMField(default=PO.DRAFT, choices=PurchaseOrderStatus.choices, protected=True, db_index=True)
    currency = models.CharField(max_length=3)
    expected_date = models.DateField(help_text="When the goods should arrive.")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="When the PDF went to the supplier.")
    received_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_purchasing", "Can manage suppliers, purchase orders and reordering")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in PO_OPEN

    @property
    def is_late(self) -> bool:
        """Past its expected date and not (fully) received."""
        return self.status in PO_OPEN and self.expected_date < timezone.localdate()

    @transition(field=status, source=PO.DRAFT, target=PO.SENT)
    def send(self, *, at):
        self.sent_at = at

    @transition(field=status, source=[PO.SENT, PO.PARTIALLY_RECEIVED], target=PO.PARTIALLY_RECEIVED)
    def receive_part(self):
        pass

    @transition(field=status, source=[PO.SENT, PO.PARTIALLY_RECEIVED], target=PO.RECEIVED)
    def receive_all(self, *, at):
        self.received_at = at

    @transition(field=status, source=[PO.DRAFT, PO.SENT], target=PO.CANCELLED)
    def cancel(self, *, at):
        self.cancelled_at = at


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="purchase_order_lines")
    quantity_ordered = models.PositiveIntegerField()
    quantity_received = models.PositiveIntegerField(default=0)
    unit_cost = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["product__sku", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["purchase_order", "product"], name="purchaseorderline_product_unique"),
            models.CheckConstraint(condition=Q(quantity_ordered__gte=1), name="purchaseorderline_ordered_positive"),
            models.CheckConstraint(
                condition=Q(quantity_received__lte=F("quantity_ordered")),
                name="purchaseorderline_received_within_ordered",
            ),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="purchaseorderline_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.purchase_order_id}: {self.quantity_received}/{self.quantity_ordered} × {self.product_id}"

    @property
    def outstanding(self) -> int:
        return self.quantity_ordered - self.quantity_received

    @property
    def line_total(self):
        return self.quantity_ordered * self.unit_cost
