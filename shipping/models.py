from django.db import models
from django.db.models import Q


class ShippingMethod(models.Model):
    """A delivery option: price = flat fee + per kg; delivery = handling + transit business days."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    carrier = models.CharField(
        max_length=30, default="demo", help_text="The carrier adapter that quotes and buys labels: demo or easypost."
    )
    carrier_service = models.CharField(
        max_length=60,
        blank=True,
        help_text='EasyPost: "CARRIER:Service" (e.g. "USPS:Priority") or "CARRIER" for any of its services; '
        "blank for every service the carrier quotes.",
    )
    flat_fee = models.DecimalField(max_digits=10, decimal_places=2)
    per_kg = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    transit_days = models.PositiveSmallIntegerField()
    priority = models.PositiveSmallIntegerField(default=100, help_text="Lower is fulfilled first.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flat_fee__gte=0, per_kg__gte=0), name="shippingmethod_prices_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from shipping.carriers import CARRIERS

        if self.carrier not in CARRIERS:
            raise ValidationError({"carrier": f"Choose one of the carriers: {', '.join(sorted(CARRIERS))}."})


class Shipment(models.Model):
    """One parcel handed to a carrier, from one warehouse."""

    class Status(models.TextChoices):
        LABEL_PENDING = "label_pending", "Label pending"
        LABEL_CREATED = "label_created", "Label created"
        IN_TRANSIT = "in_transit", "In transit"
        OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
        DELIVERED = "delivered", "Delivered"
        EXCEPTION = "exception", "Exception"
        CANCELLED = "cancelled", "Cancelled"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="shipments")
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    carrier = models.CharField(max_length=30)
    service = models.CharField(max_length=30)
    tracking_number = models.CharField(max_length=60, null=True, blank=True, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LABEL_PENDING)
    weight_kg = models.DecimalField(max_digits=8, decimal_places=3, default=0)
    contents = models.JSONField(default=list, help_text="[{sku, quantity}] packed in this parcel.")
    label = models.TextField(blank=True)
    # The rate chosen at pack & ship: the carrier's service, its price and the delivery it promised.
    carrier_service = models.CharField(max_length=60, blank=True)
    rate_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    rate_currency = models.CharField(max_length=3, blank=True)
    estimated_delivery_date = models.DateField(null=True, blank=True)
    label_url = models.URLField(max_length=500, blank=True)
    carrier_reference = models.CharField(max_length=100, blank=True, help_text="The carrier's id of the label.")
    label_voided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number or '(no label yet)'}"


class TrackingEvent(models.Model):
    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", "In transit"
        OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
        DELIVERED = "delivered", "Delivered"
        EXCEPTION = "exception", "Exception"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=Status.choices)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["shipment", "event_id"], name="trackingevent_once_per_shipment")]
        # The Exceptions report reads the carrier exceptions of a date range.
        indexes = [
            models.Index(fields=["occurred_at"], name="trackingevent_exception_idx", condition=Q(status="exception"))
        ]

    def __str__(self) -> str:
        return f"{self.status} at {self.occurred_at:%Y-%m-%d %H:%M}"


class QualityCheck(models.Model):
    """The quality check of one packing of an order: what was packed waits here until an inspector passes it.

    A pass ships the order in the parcels kept in ``packing``; a fail sends the failed lines back to picking
    (``on_fail`` = repick) or holds the order (``on_fail`` = hold).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting check"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"

    class OnFail(models.TextChoices):
        REPICK = "repick", "Re-pick the failed lines"
        HOLD = "hold", "Hold the order (quality)"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="quality_checks")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    on_fail = models.CharField(max_length=10, choices=OnFail.choices, blank=True)
    packing = models.JSONField(
        default=dict, help_text="{service, reason, parcels: [{warehouse_id, weight_kg, contents}]}"
    )
    packed_by = models.CharField(max_length=150, blank=True)
    packed_at = models.DateTimeField(auto_now_add=True)
    inspector = models.CharField(max_length=150, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["packed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(status="pending"), name="qualitycheck_one_pending_per_order"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", checked_at__isnull=True)
                | Q(~Q(status="pending"), checked_at__isnull=False),
                name="qualitycheck_checked_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "packed_at"], name="qualitycheck_status_idx")]
        permissions = [("perform_qc", "Can perform quality checks before shipping")]

    def __str__(self) -> str:
        return f"QC {self.pk} ({self.status})"


class QualityCheckLine(models.Model):
    """One packed line of a checked order: each configured check ticked or not, and what was recorded."""

    check_run = models.ForeignKey(QualityCheck, on_delete=models.CASCADE, related_name="lines")
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    stock_item_id = models.IntegerField(help_text="The stock row the line was picked from.")
    sku = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField()
    checks = models.JSONField(default=list, help_text="[{name, passed}] in the order the inspector saw them.")
    records = models.JSONField(default=list, help_text="What the inspector records: a subset of serial, lot, expiry.")
    serial = models.CharField(max_length=100, blank=True)
    lot = models.CharField(max_length=100, blank=True)
    expiry = models.DateField(null=True, blank=True)
    passed = models.BooleanField(null=True, help_text="Empty until checked.")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="qualitycheckline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"
