"""Returns (RMAs): the request, its lines and its own timeline, with the return's state machine.

``ReturnRequest.status`` is a protected django-fsm field: only the transition methods below change it.
They are pure (fields on ``self`` only); the services in ``returns.services`` lock, save, move stock and
money, and write the events on the return's timeline and the order's.

Quantities live on the order lines (``OrderLine.quantity_returned``): a return commits its quantities
when it is opened and gives them back when it is rejected or cancelled.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AUTHORIZED = "authorized", "Authorized"
    RECEIVED = "received", "Received"
    INSPECTED = "inspected", "Inspected"
    REFUNDED = "refunded", "Refunded"
    EXCHANGED = "exchanged", "Exchanged"
    CLOSED = "closed", "Closed"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


R = ReturnStatus
# A return in one of these states still waits for something; the order cannot complete meanwhile.
OPEN_STATES = [R.REQUESTED, R.AUTHORIZED, R.RECEIVED, R.INSPECTED, R.REFUNDED, R.EXCHANGED]
FINAL_STATES = [R.CLOSED, R.REJECTED, R.CANCELLED]
# The customer may withdraw a return until the goods arrive.
CANCELLABLE = [R.REQUESTED, R.AUTHORIZED]


class Resolution(models.TextChoices):
    REFUND = "refund", "Refund"
    EXCHANGE = "exchange", "Exchange"


class OpenedBy(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    STAFF = "staff", "Staff"


class Condition(models.TextChoices):
    BLANK = "", "Not inspected"
    RESELLABLE = "resellable", "Resellable"
    DAMAGED = "damaged", "Damaged"
    DEFECTIVE = "defective", "Defective"


class ReturnRequest(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(max_length=30, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="returns")
    status = FSMField(default=R.REQUESTED, choices=ReturnStatus.choices, protected=True, db_index=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, default=Resolution.REFUND)
    returnless = models.BooleanField(default=False, help_text="Refund or exchange without the goods coming back.")
    reject_reason = models.CharField(max_length=500, blank=True)
    refund_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    replacement_order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_returns"
    )
    # The return label, bought from the carrier when the return is authorized; kept as shipping keeps a
    # parcel's label (the carrier's text), the PDF is drawn from it on request.
    label_carrier = models.CharField(max_length=20, blank=True)
    label_tracking_number = models.CharField(max_length=64, blank=True)
    label = models.TextField(blank=True)
    # Who pays the return shipping, from the policy by reason: "customer" or "merchant".
    shipping_paid_by = models.CharField(max_length=10, blank=True)
    received_warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.CharField(max_length=10, choices=OpenedBy.choices, default=OpenedBy.CUSTOMER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    authorized_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    inspected_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="return_status_created_idx")]
        constraints = [models.CheckConstraint(condition=Q(refund_total__gte=0), name="return_refund_not_negative")]
        permissions = [
            ("authorize_return", "Can authorize or reject returns"),
            ("receive_return", "Can receive returned goods"),
            ("inspect_return", "Can inspect returned goods"),
            ("refund_return", "Can refund or exchange returns"),
            ("close_return", "Can close returns"),
            ("cancel_return", "Can cancel returns"),
            ("open_return", "Can open returns for customers"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    # --- transitions (pure: fields on self only) --------------------------------------------------------
    @transition(field=status, source=R.REQUESTED, target=R.AUTHORIZED, permission="returns.authorize_return")
    def authorize(self, *, at):
        self.authorized_at = at

    @transition(field=status, source=R.REQUESTED, target=R.REJECTED, permission="returns.authorize_return")
    def reject(self, *, reason: str, at):
        self.reject_reason = reason[:500]
        self.closed_at = at

    @transition(
        field=status,
        source=R.AUTHORIZED,
        target=R.RECEIVED,
        permission="returns.receive_return",
        conditions=[lambda r: not r.returnless],
    )
    def receive(self, *, warehouse, at):
        self.received_warehouse = warehouse
        self.received_at = at

    @transition(field=status, source=R.RECEIVED, target=R.INSPECTED, permission="returns.inspect_return")
    def inspect(self, *, at):
        self.inspected_at = at

    @transition(
        field=status,
        source=[R.INSPECTED, R.AUTHORIZED],
        target=R.REFUNDED,
        permission="returns.refund_return",
        conditions=[lambda r: r.resolution == Resolution.REFUND, lambda r: r.status == R.INSPECTED or r.returnless],
    )
    def refund(self, *, amount, at):
        self.refund_total = amount
        self.resolved_at = at

    @transition(
        field=status,
        source=[R.INSPECTED, R.AUTHORIZED],
        target=R.EXCHANGED,
        permission="returns.refund_return",
        conditions=[lambda r: r.resolution == Resolution.EXCHANGE, lambda r: r.status == R.INSPECTED or r.returnless],
    )
    def exchange(self, *, replacement_order, at):
        self.replacement_order = replacement_order
        self.resolved_at = at

    @transition(field=status, source=[R.REFUNDED, R.EXCHANGED], target=R.CLOSED, permission="returns.close_return")
    def close(self, *, at):
        self.closed_at = at

    @transition(field=status, source=CANCELLABLE, target=R.CANCELLED, permission="returns.cancel_return")
    def cancel(self, *, at):
        self.closed_at = at


class ReasonCode(models.TextChoices):
    DAMAGED = "damaged", "Arrived damaged"
    DEFECTIVE = "defective", "Defective"
    WRONG_ITEM = "wrong_item", "Wrong item sent"
    NOT_AS_DESCRIBED = "not_as_described", "Not as described"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
    OTHER = "other", "Other"


class ReturnLine(models.Model):
    return_request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    # Codes come from the policy (OMS_RETURN_REASONS), so the field carries no fixed choices.
    reason = models.CharField(max_length=30)
    comment = models.TextField(blank=True)
    condition = models.CharField(max_length=12, choices=Condition.choices, blank=True)
    inspector_notes = models.TextField(blank=True)
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="returnline_quantity_positive"),
            models.CheckConstraint(condition=Q(refund_amount__gte=0), name="returnline_refund_not_negative"),
            models.UniqueConstraint(fields=["return_request", "order_line"], name="returnline_once_per_order_line"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id} ({self.reason})"

    @property
    def sku(self) -> str:
        return self.order_line.sku


class ExchangeLine(models.Model):
    """What the customer wants instead, for an exchange: the replacement order is placed with these."""

    return_request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="exchange_lines")
    product = models.ForeignKey("inventory.Product", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="exchangeline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class ReturnEvent(models.Model):
    """The return's timeline: every state change and notable act, who and when."""

    return_request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.return_request_id}: {self.from_status or '—'} → {self.to_status} by {self.actor}"
