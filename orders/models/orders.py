"""Orders, their lines and allocations, the lifecycle state machine and the timeline (``OrderEvent``).

The lifecycle is a django-fsm state machine on ``Order.status`` (protected: only transition methods
change it). Transition methods are pure: they change fields on the order and nothing else. Services in
``orders.services`` lock the row, call them, save, and record the ``OrderEvent``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from orders.models.customers import Address, Customer


class OrderStatus(models.TextChoices):
    PLACED = "placed", "Placed"
    VERIFIED = "verified", "Verified"
    CREDIT_APPROVED = "credit_approved", "Credit approved"
    PAID = "paid", "Paid"
    CONFIRMED = "confirmed", "Confirmed"
    FULFILLING = "fulfilling", "Fulfilling"
    SHIPPED = "shipped", "Shipped"
    IN_TRANSIT = "in_transit", "In transit"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


S = OrderStatus
HOLDABLE = [S.PLACED, S.VERIFIED, S.CREDIT_APPROVED, S.PAID, S.CONFIRMED]
CANCELLABLE = [S.PLACED, S.VERIFIED, S.CREDIT_APPROVED, S.PAID, S.CONFIRMED, S.FULFILLING, S.ON_HOLD]
# Customers and storefronts may cancel only until the warehouse starts work.
CUSTOMER_CANCELLABLE = [S.PLACED, S.VERIFIED, S.CREDIT_APPROVED, S.PAID, S.CONFIRMED, S.ON_HOLD]
# Customers rate what they have received.
CUSTOMER_RATEABLE = [S.DELIVERED, S.COMPLETED]
AUTO = {"auto": True}
# Unanswered messages a customer may leave on one order before we answer: enough for a conversation,
# not a way to flood the support queue through a leaked link.
INQUIRY_OPEN_LIMIT = 5


class HoldReason(models.TextChoices):
    OUT_OF_STOCK = "out_of_stock", "Out of stock"
    CREDIT = "credit", "Credit refused"
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    FRAUD_REVIEW = "fraud_review", "Fraud review"
    ADDRESS_PROBLEM = "address_problem", "Address problem"
    CUSTOMER_REQUEST = "customer_request", "Customer request"
    QUALITY = "quality", "Quality check failed"
    OTHER = "other", "Other"


class RiskStatus(models.TextChoices):
    """Where an order stands with fraud screening (``orders.services.risk``)."""

    NOT_SCREENED = "", "Not screened"
    PASSED = "passed", "Passed"
    REVIEW = "review", "Awaiting review"
    APPROVED = "approved", "Approved by staff"
    REJECTED = "rejected", "Rejected by staff"


class Channel(models.TextChoices):
    WEB = "web", "Web / API"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    IN_STORE = "in_store", "In store"
    IMPORT = "import", "Import"


class Order(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(max_length=20, unique=True)
    storefront = models.ForeignKey(
        "oms.Storefront", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    # The contact details as given with this order: what the API answers with, so a caller never reads
    # the stored customer's name or phone, which another channel may have given.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(max_length=254, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    shipping_address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+")
    billing_address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+")
    shipping_method = models.CharField(max_length=30)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_total = models.DecimalField(max_digits=12, decimal_places=2)
    tax_rate = models.DecimalField(max_digits=6, decimal_places=4, default=0)
    tax_total = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    notes = models.TextField(blank=True, help_text="Special instructions from the customer.")
    promised_ship_date = models.DateField(null=True, blank=True)
    estimated_delivery_date = models.DateField(null=True, blank=True)
    # The caller's own id for the order (an import's external_ref): one order per id and storefront.
    external_ref = models.CharField(max_length=100, blank=True)
    # Fraud screening at placement: the score, the rules that added to it, and the review's state. The card
    # token's digest (never the token) lets the screening count orders paid with one card.
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_reasons = models.JSONField(default=list, blank=True)
    risk_status = models.CharField(max_length=10, choices=RiskStatus.choices, blank=True)
    card_digest = models.CharField(max_length=24, blank=True)
    # Short stock: ship what is there and backorder the rest (True), or wait whole (False).
    ship_partial = models.BooleanField(default=False)

    status = FSMField(default=S.PLACED, choices=OrderStatus.choices, protected=True, db_index=True)
    hold_reason = models.CharField(max_length=30, choices=HoldReason.choices, blank=True)
    hold_note = models.CharField(max_length=500, blank=True)
    held_from = models.CharField(max_length=30, choices=OrderStatus.choices, blank=True)

    # Payment summary, kept in step by the services after each gateway call.
    payment_method = models.CharField(max_length=20)
    payment_status = models.CharField(max_length=20, default="pending")
    amount_authorized = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    amount_captured = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # Returns not yet closed, rejected or cancelled: kept by the returns services; ``complete`` waits for 0.
    returns_open = models.PositiveIntegerField(default=0)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_orders"
    )
    placed_at = models.DateTimeField()  # indexed with the id: order_placed_idx
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["storefront", "-placed_at"], name="order_storefront_placed_idx"),
            models.Index(fields=["status", "-placed_at"], name="order_status_placed_idx"),
            # Fraud screening: the orders paid with one card lately (a customer's latest orders are read through
            # order_customer_placed_idx, made by migration 0006).
            models.Index(
                fields=["card_digest", "placed_at"], name="order_card_placed_idx", condition=~Q(card_digest="")
            ),
            # The desk's work queues at a million orders (dashboard.orders.selectors): each partial index holds
            # the rows of one queue (a few thousand in a running shop), in the order the queue shows them, so
            # the first rows and a capped count read a few index pages. PostgreSQL uses a partial index only
            # when the query's condition implies the index's: keep these conditions the queues' own.
            # Overdue, late to ship: not shipped by the ship-by date, neither held nor awaiting a transfer.
            models.Index(
                fields=["promised_ship_date", "placed_at", "id"],
                name="order_late_to_ship_idx",
                condition=(
                    Q(status__in=[S.PLACED, S.VERIFIED, S.CREDIT_APPROVED, S.PAID, S.CONFIRMED, S.FULFILLING])
                    & ~Q(status=S.CREDIT_APPROVED, payment_status="awaiting_funds")
                ),
            ),
            # The overdue list by ship-by date: late to ship, or late to arrive (shipped, in transit).
            models.Index(
                fields=["promised_ship_date", "placed_at", "id"],
                name="order_overdue_ship_by_idx",
                condition=(
                    Q(status__in=[S.PLACED, S.VERIFIED, S.CREDIT_APPROVED, S.PAID, S.CONFIRMED, S.FULFILLING])
                    & ~Q(status=S.CREDIT_APPROVED, payment_status="awaiting_funds")
                )
                | Q(status__in=[S.SHIPPED, S.IN_TRANSIT]),
            ),
            # Overdue, late to arrive: shipped or in transit, by the estimated delivery date.
            models.Index(
                fields=["estimated_delivery_date", "placed_at", "id"],
                name="order_late_to_arrive_idx",
                condition=Q(status__in=[S.SHIPPED, S.IN_TRANSIT]),
            ),
            # Ready to fulfill, by shipping method (the priority sort reads one method group after another).
            models.Index(
                fields=["shipping_method", "promised_ship_date", "placed_at", "id"],
                name="order_ready_idx",
                condition=Q(status=S.CONFIRMED),
            ),
            # On hold, by reason and age.
            models.Index(
                fields=["hold_reason", "placed_at", "id"], name="order_on_hold_idx", condition=Q(status=S.ON_HOLD)
            ),
            # Awaiting funds (a bank transfer), oldest first.
            models.Index(
                fields=["placed_at", "id"],
                name="order_awaiting_funds_idx",
                condition=Q(status=S.CREDIT_APPROVED, payment_status="awaiting_funds"),
            ),
            # Home's figures of the day (orders placed, revenue) from the index alone, without a visit per order.
            models.Index(
                fields=["placed_at"], include=["total", "status", "hold_reason"], name="order_placed_figures_idx"
            ),
            # Carrier exceptions are read among the orders on their way, oldest first.
            models.Index(
                fields=["placed_at", "id"],
                name="order_on_the_way_idx",
                condition=Q(status__in=[S.SHIPPED, S.IN_TRANSIT]),
            ),
            # ... and newest first (the order list), by looking up each order with a shipment in exception:
            # whether it is on its way and when it was placed, from this index alone.
            models.Index(
                fields=["id"],
                include=["placed_at"],
                name="order_on_the_way_id_idx",
                condition=Q(status__in=[S.SHIPPED, S.IN_TRANSIT]),
            ),
            # The order list, newest (or oldest) first: a page's ids read from the index alone, however deep the
            # page (an OFFSET of 9,950 skips index entries, not orders), the customer included for the search by
            # name (the orders of the matching customers, picked out while walking the index).
            models.Index(fields=["placed_at", "id"], include=["customer"], name="order_placed_idx"),
            # What automatic work left behind (orders.selectors.waiting): a payment still pending, a card not
            # captured after shipping, a payment not voided after cancelling. Empty while all is well.
            models.Index(
                fields=["id"],
                name="order_payment_pending_idx",
                condition=Q(status=S.CREDIT_APPROVED, payment_status="pending"),
            ),
            models.Index(
                fields=["id"],
                name="order_capture_due_idx",
                condition=Q(
                    status__in=[S.SHIPPED, S.IN_TRANSIT, S.DELIVERED, S.COMPLETED],
                    payment_method="card",
                    payment_status="authorized",
                ),
            ),
            models.Index(
                fields=["id"],
                name="order_void_due_idx",
                condition=Q(
                    status=S.CANCELLED, payment_status__in=["pending", "awaiting_funds", "authorized", "captured"]
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                # Round: SQLite adds decimals as floats; on PostgreSQL numeric sums are exact anyway.
                condition=Q(total=Round(F("subtotal") + F("shipping_total") + F("tax_total"), 2)),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="order_subtotal_not_negative"),
            models.UniqueConstraint(
                fields=["storefront", "external_ref"],
                condition=~Q(external_ref=""),
                name="order_external_ref_unique_per_storefront",
            ),
        ]
        permissions = [
            ("start_fulfillment", "Can start fulfillment"),
            ("ship_order", "Can ship orders"),
            ("complete_order", "Can complete orders"),
            ("cancel_order", "Can cancel orders"),
            ("hold_order", "Can put orders on hold"),
            ("release_order", "Can release held orders"),
            ("mark_paid", "Can record received payments"),
            ("set_credit_terms", "Can change payment terms and credit limits"),
            ("view_stuck_orders", "Can see orders that automatic work left behind"),
            ("review_fraud", "Can review orders held for fraud and edit the risk rules"),
            ("import_orders", "Can import orders from files"),
            ("change_lines", "Can change or cancel part of an order's lines"),
        ]

    def __str__(self) -> str:
        return self.number

    # --- automatic stages -----------------------------------------------------------------------
    @transition(field=status, source=S.PLACED, target=S.VERIFIED, custom=AUTO)
    def verify(self):
        """Stock is reserved for every line."""

    @transition(field=status, source=S.VERIFIED, target=S.CREDIT_APPROVED, custom=AUTO)
    def approve_credit(self):
        """Prepaid passes; on account stays within the credit limit."""

    @transition(field=status, source=S.CREDIT_APPROVED, target=S.PAID, custom=AUTO)
    def pay(self):
        """The gateway authorized (or the invoice opened)."""

    @transition(field=status, source=S.PAID, target=S.CONFIRMED, custom=AUTO)
    def confirm(self):
        """The customer is told the order is on its way."""

    @transition(field=status, source=S.SHIPPED, target=S.IN_TRANSIT, custom=AUTO)
    def mark_in_transit(self):
        """The carrier has the parcel."""

    @transition(field=status, source=S.IN_TRANSIT, target=S.DELIVERED, custom=AUTO)
    def mark_delivered(self, *, at):
        self.delivered_at = at

    # --- staff transitions ----------------------------------------------------------------------
    @transition(
        field=status,
        source=S.CREDIT_APPROVED,
        target=S.PAID,
        permission="orders.mark_paid",
        conditions=[lambda o: o.payment_status == "awaiting_funds"],
    )
    def mark_paid(self):
        """Funds of a bank transfer arrived."""

    @transition(
        field=status,
        source=S.CONFIRMED,
        target=S.FULFILLING,
        permission="orders.start_fulfillment",
        conditions=[
            lambda o: o.ship_partial or o.pk is None or not o.lines.filter(quantity_backordered__gt=0).exists()
        ],
    )
    def start_fulfillment(self):
        """Warehouses pick the lines; an order that may not ship in parts waits until nothing is backordered."""

    @transition(field=status, source=S.FULFILLING, target=S.SHIPPED, permission="orders.ship_order")
    def ship(self, *, at):
        self.shipped_at = at

    @transition(
        field=status,
        source=S.DELIVERED,
        target=S.COMPLETED,
        permission="orders.complete_order",
        conditions=[lambda o: o.returns_open == 0],
    )
    def complete(self, *, at):
        self.completed_at = at

    @transition(field=status, source=CANCELLABLE, target=S.CANCELLED, permission="orders.cancel_order")
    def cancel(self, *, at):
        self.cancelled_at = at
        self.hold_reason = ""
        self.held_from = ""

    @transition(field=status, source=HOLDABLE, target=S.ON_HOLD, permission="orders.hold_order")
    def hold(self, *, reason: str, detail: str = ""):
        self.held_from = self.status
        self.hold_reason = reason
        self.hold_note = detail[:500]

    @transition(field=status, source=S.FULFILLING, target=S.ON_HOLD, permission="shipping.perform_qc")
    def hold_for_quality(self, *, detail: str = ""):
        """A packed order failed its quality check: it waits for staff, and release sends it back to packing."""
        self.held_from = self.status
        self.hold_reason = HoldReason.QUALITY
        self.hold_note = detail[:500]

    @transition(
        field=status,
        source=S.ON_HOLD,
        target=RETURN_VALUE(*HOLDABLE, S.FULFILLING),
        permission="orders.release_order",
    )
    def release(self):
        back = self.held_from
        self.held_from = ""
        self.hold_reason = ""
        self.hold_note = ""
        return back

    # --- what the customer may do: the portal offers it, the services allow it, both by these rules --------
    @property
    def customer_may_cancel(self) -> bool:
        """Until the warehouse starts work on the order."""
        return self.status in CUSTOMER_CANCELLABLE

    @property
    def lines_may_change(self) -> bool:
        """Lines may be edited or cancelled in part until the warehouse starts work on the order."""
        if self.status == S.ON_HOLD:
            return self.held_from != S.FULFILLING
        return self.status in CUSTOMER_CANCELLABLE

    # --- the payment summary beyond the gateway's figures ------------------------------------------------------
    @property
    def balance_due(self):
        """What the total asks beyond what was captured, authorized or invoiced (it grew after payment)."""
        if self.status == S.CANCELLED:
            return 0
        covered = max(self.amount_captured, self.amount_authorized if self.payment_status == "authorized" else 0)
        return max(self.total - covered, 0)

    @property
    def refund_due(self):
        """What was paid beyond the total (it shrank after payment) and is not refunded yet."""
        if self.status == S.CANCELLED:
            return 0
        return max(self.amount_captured - self.amount_refunded - self.total, 0)

    def customer_may_ask(self, *, open_inquiries: int) -> bool:
        """Another message while fewer than ``INQUIRY_OPEN_LIMIT`` of the order's messages await an answer."""
        return open_inquiries < INQUIRY_OPEN_LIMIT

    def customer_may_rate(self, *, rated: bool) -> bool:
        """Once (``rated``: feedback exists already), after delivery."""
        return not rated and self.status in CUSTOMER_RATEABLE


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("inventory.Product", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    line_total = models.DecimalField(max_digits=12, decimal_places=2)
    weight_kg = models.DecimalField(max_digits=8, decimal_places=3, default=0)
    quantity_reserved = models.PositiveIntegerField(default=0)
    quantity_shipped = models.PositiveIntegerField(default=0)
    # Ordered but not yet reserved: waits for stock (a backorder or a preorder); reserved + backordered <= quantity.
    quantity_backordered = models.PositiveIntegerField(default=0)
    # Committed to open or finished returns (given back when a return is rejected or cancelled).
    quantity_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        # The Backordered work queue: the few lines waiting for stock, found without reading every line.
        indexes = [
            models.Index(fields=["order"], name="orderline_backordered_idx", condition=Q(quantity_backordered__gt=0))
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(quantity_reserved__lte=F("quantity")), name="orderline_reserved_le_qty"),
            models.CheckConstraint(condition=Q(quantity_shipped__lte=F("quantity")), name="orderline_shipped_le_qty"),
            models.CheckConstraint(
                condition=Q(quantity_backordered__lte=F("quantity") - F("quantity_reserved")),
                name="orderline_backordered_le_unreserved",
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity_shipped")), name="orderline_returned_le_shipped"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class LineAllocation(models.Model):
    """Which warehouse's stock serves (part of) a line. A line split across warehouses has several."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="allocations")
    stock_item = models.ForeignKey("inventory.StockItem", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    is_released = models.BooleanField(default=False)
    is_shipped = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} from {self.warehouse_id}"


class OrderEvent(models.Model):
    """The timeline: every state change and every notable act on an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        # The Team report reads each staff member's status changes of a date range.
        indexes = [
            models.Index(
                fields=["actor", "at"],
                include=["to_status"],
                name="orderevent_actor_at_idx",
                condition=~Q(to_status=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '—'} → {self.to_status} by {self.actor}"

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(code: str) -> str:
    """The display name of a status code kept in the timeline (codes are stored as they were)."""
    return OrderStatus(code).label if code in OrderStatus.values else code
