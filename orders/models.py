"""Customers, orders and the order lifecycle.

The lifecycle is a django-fsm state machine on ``Order.status`` (protected: only transition methods
change it). Transition methods are pure: they change fields on the order and nothing else. Services in
``orders.services`` lock the row, call them, save, and record the ``OrderEvent``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower, Round
from django.db.models.lookups import Exact
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition


class CustomerQuerySet(models.QuerySet):
    def with_email(self, email: str) -> "CustomerQuerySet":
        """The customer with this email in any letter case; none for a blank one.

        LOWER(email) = LOWER(%s) is the comparison the unique index on Lower("email") serves; ``email__iexact``
        compares UPPER() and reads the whole table. NUL bytes, which PostgreSQL cannot take, are dropped.
        """
        email = (email or "").replace("\x00", "").strip()
        if not email:
            return self.none()
        return self.filter(Exact(Lower("email"), Lower(Value(email))))


class Customer(models.Model):
    class PaymentTerms(models.TextChoices):
        PREPAID = "prepaid", "Prepaid"
        ON_ACCOUNT = "on_account", "On account"

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    payment_terms = models.CharField(max_length=20, choices=PaymentTerms.choices, default=PaymentTerms.PREPAID)
    credit_limit = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # The storefront whose placement made the customer (none: made by staff). Only it, and storefronts the
    # shop shares the customer with, may bill the customer's credit line (pay "on account").
    storefront = models.ForeignKey("oms.Storefront", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    shared_with = models.ManyToManyField(
        "oms.Storefront",
        blank=True,
        related_name="shared_customers",
        help_text="Other storefronts that may place on-account orders for this customer.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="customer_email_ci_unique"),
            models.CheckConstraint(condition=Q(credit_limit__gte=0), name="customer_credit_limit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def on_account(self) -> bool:
        return self.payment_terms == self.PaymentTerms.ON_ACCOUNT

    def billable_on_account_by(self, storefront_id: int) -> bool:
        """May this storefront place orders on the customer's credit line? Its own customers on account
        terms, or ones the shop shared with it."""
        if not self.on_account:
            return False
        return self.storefront_id == storefront_id or self.shared_with.filter(pk=storefront_id).exists()


REGION_HELP = "State or province code for US and Canadian addresses, e.g. CO, ON; printed on the shipping label."


class Address(models.Model):
    """A postal address. Orders keep their own copy, so later edits of a customer's book change no order."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses", null=True)
    name = models.CharField(max_length=200)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    region = models.CharField(max_length=100, blank=True, help_text="State, province or region, e.g. CO, ON")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. US, DE.")

    # Where the city, region and postal code go depends on the destination's postal custom; a carrier's
    # sorting machine reads the last lines, so they must be in the order the destination's post expects.
    CITY_REGION_POSTAL = frozenset({"US", "CA", "AU"})  # "Denver, CO 80202"
    CITY_THEN_POSTAL = frozenset({"GB"})  # "London" / "EC1A 1BB", each on its own line

    def __str__(self) -> str:
        return ", ".join(self.lines())

    def locality_lines(self, *, postal_code: str | None = None) -> list[str]:
        """The city, region and postal code lines, in the destination country's order.

        US, CA, AU: "City, REGION POSTAL". GB: the city, the region (county) if any, then the postal code on
        its own line. Everywhere else (most of Europe): "POSTAL City", then the region on its own line when
        there is one. ``postal_code`` replaces the stored one, e.g. masked for the customer portal.
        """
        city, region = self.city.strip(), self.region.strip()
        postal = (self.postal_code if postal_code is None else postal_code).strip()
        country = self.country.strip().upper()
        if country in self.CITY_REGION_POSTAL:
            town = f"{city}, {region}" if city and region else city or region  # no dangling comma without one
            lines = [" ".join(p for p in (town, postal) if p)]
        elif country in self.CITY_THEN_POSTAL:
            lines = [city, region, postal]
        else:
            lines = [" ".join(p for p in (postal, city) if p), region]
        return [line for line in lines if line]

    def lines(self) -> list[str]:
        """The address as printed on a label, an envelope or a page: one string per line, blank ones left out,
        the country code last. Every template, PDF and carrier request formats addresses through this."""
        head = [p.strip() for p in (self.name, self.line1, self.line2) if p.strip()]
        return head + self.locality_lines() + ([self.country.strip().upper()] if self.country.strip() else [])


class TaxRate(models.Model):
    """Sales tax / VAT by destination country, applied to goods and shipping. No row means no tax."""

    country = models.CharField(max_length=2, unique=True)
    rate = models.DecimalField(max_digits=6, decimal_places=4, help_text="0.2000 for 20%.")

    class Meta:
        ordering = ["country"]
        constraints = [models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=1), name="taxrate_between_0_and_1")]

    def __str__(self) -> str:
        return f"{self.country}: {self.rate:%}"


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


class HoldReason(models.TextChoices):
    OUT_OF_STOCK = "out_of_stock", "Out of stock"
    CREDIT = "credit", "Credit refused"
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    FRAUD_REVIEW = "fraud_review", "Fraud review"
    ADDRESS_PROBLEM = "address_problem", "Address problem"
    CUSTOMER_REQUEST = "customer_request", "Customer request"
    OTHER = "other", "Other"


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

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_orders"
    )
    placed_at = models.DateTimeField(db_index=True)
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
        ]
        constraints = [
            models.CheckConstraint(
                # Round: SQLite adds decimals as floats; on PostgreSQL numeric sums are exact anyway.
                condition=Q(total=Round(F("subtotal") + F("shipping_total") + F("tax_total"), 2)),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="order_subtotal_not_negative"),
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

    @transition(field=status, source=S.CONFIRMED, target=S.FULFILLING, permission="orders.start_fulfillment")
    def start_fulfillment(self):
        """Warehouses pick the lines."""

    @transition(field=status, source=S.FULFILLING, target=S.SHIPPED, permission="orders.ship_order")
    def ship(self, *, at):
        self.shipped_at = at

    @transition(field=status, source=S.DELIVERED, target=S.COMPLETED, permission="orders.complete_order")
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

    @transition(field=status, source=S.ON_HOLD, target=RETURN_VALUE(*HOLDABLE), permission="orders.release_order")
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

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(quantity_reserved__lte=F("quantity")), name="orderline_reserved_le_qty"),
            models.CheckConstraint(condition=Q(quantity_shipped__lte=F("quantity")), name="orderline_shipped_le_qty"),
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


class Notification(models.Model):
    """One customer email per order and kind: the row makes a twice-run task send once."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    # Written with the outbox message that queues the email, in the same transaction: an email is due
    # while ``closed_at`` is empty, so the reconciler can find one whose task was lost.
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Sent, skipped (its moment passed) or given up on: nothing more to do.
    closed_at = models.DateTimeField(null=True, blank=True)
    # Given up after the last retry: the order shows in the dashboard's "stuck" queue.
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="notification_once_per_kind")]
        indexes = [
            models.Index(fields=["created_at"], name="notification_due_idx", condition=models.Q(closed_at=None)),
            models.Index(
                fields=["failed_at"], name="notification_failed_idx", condition=models.Q(failed_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.order_id}"


class OrderNote(models.Model):
    """An internal note staff leave on an order; customers never see it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.order_id} by {self.author_id}"


# Unanswered messages a customer may leave on one order before we answer: enough for a conversation,
# not a way to flood the support queue through a leaked link.
INQUIRY_OPEN_LIMIT = 5


class Inquiry(models.Model):
    """A question a customer sent about an order from the portal; staff answer it by email."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="inquiries")
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "inquiries"
        permissions = [("answer_inquiry", "Can answer customer inquiries")]
        indexes = [models.Index(fields=["answered_at", "created_at"], name="inquiry_open_idx")]

    def __str__(self) -> str:
        return f"Inquiry {self.pk} on {self.order_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Feedback(models.Model):
    """The customer's rating of a delivered order: one per order."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.order_id}"
