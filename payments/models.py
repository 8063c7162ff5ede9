from django.db import models
from django.db.models import Q


class Payment(models.Model):
    """One payment for an order, with its running summary (authorized, captured, refunded)."""

    class Method(models.TextChoices):
        CARD = "card", "Card"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CASH = "cash", "Cash"
        ON_ACCOUNT = "on_account", "On account"
        # A replacement order whose goods were paid for on the original order (an exchange, a reship):
        # nothing is charged. Only the returns services place such orders, never a customer or the API.
        EXCHANGE = "exchange", "Exchange (no charge)"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        AWAITING_FUNDS = "awaiting_funds", "Awaiting funds"
        AUTHORIZED = "authorized", "Authorized"
        CAPTURED = "captured", "Captured"
        DECLINED = "declined", "Declined"
        VOIDED = "voided", "Voided"
        REFUNDED = "refunded", "Refunded"
        # On account only: the customer paid the invoice, so it no longer counts against the credit limit.
        SETTLED = "settled", "Settled (invoice paid)"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=20, choices=Method.choices)
    token = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    authorized_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    captured_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    gateway_reference = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    credit_reserved = models.BooleanField(
        default=False, help_text="On account: passed the credit check, so it counts against the limit already."
    )
    settled_on = models.DateField(
        null=True, blank=True, help_text="On account: the day the customer's payment of the invoice arrived."
    )
    # Bank transfer and on account: what the receipts (PaymentReceipt) add up to; the rest is still due.
    received_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The unpaid invoices work queue: few rows among every payment ever made.
            models.Index(
                fields=["order"],
                name="payment_open_invoice_idx",
                condition=Q(method="on_account", status__in=["authorized", "captured"]),
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(captured_amount__lte=models.F("amount")), name="payment_captured_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=models.F("captured_amount")),
                name="payment_refunded_within_captured",
            ),
            models.CheckConstraint(
                condition=~Q(status="settled") | Q(settled_on__isnull=False, method="on_account"),
                name="payment_settled_is_an_on_account_invoice_with_a_date",
            ),
            models.CheckConstraint(
                condition=Q(received_amount__gte=0, received_amount__lte=models.F("amount")),
                name="payment_received_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} {self.currency} ({self.status})"

    @property
    def credited_amount(self):
        """On account: what credit notes took off the invoice (its refunds); other methods pay money back."""
        return self.refunded_amount if self.method == self.Method.ON_ACCOUNT else 0

    @property
    def balance_due(self):
        """What is still to be received of a bank transfer or an invoice (receipts and credit notes deducted)."""
        return max(self.amount - self.received_amount - self.credited_amount, 0)

    @property
    def part_paid(self) -> bool:
        """Some money arrived, not all of it: the order waits for the rest."""
        return 0 < self.received_amount and self.balance_due > 0


class PaymentReceipt(models.Model):
    """Money that arrived for a bank transfer or an on-account invoice: the ledger finance matches to the
    bank statement. A payment is paid when its receipts add up to its amount."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    received_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} received {self.received_on}"


class InvoiceSequence(models.Model):
    """The last invoice number given in a year: its row is locked to give the next, so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Invoice(models.Model):
    """The invoice of an on-account payment: its number (INV-<year>-<sequence>), issue and due dates."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=20, unique=True)
    issued_on = models.DateField()
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("issued_on")), name="invoice_due_after_issue")
        ]

    def __str__(self) -> str:
        return self.number


class CreditNoteSequence(models.Model):
    """The last credit note number given in a year (CN-<year>-<sequence>), locked like InvoiceSequence."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Refund(models.Model):
    """Money given back on a payment, whole or in part: through the card gateway, as a credit note on an
    on-account invoice, or paid out by hand (cash, bank transfer) and recorded with who, when and reference.

    A refund being sent to the gateway is ``pending`` and already counts in the payment's refunded amount,
    so two refunds at once can never add up to more than was captured; a declined one gives it back.
    """

    class Kind(models.TextChoices):
        GATEWAY = "gateway", "Card refund"
        CREDIT_NOTE = "credit_note", "Credit note"
        MANUAL = "manual", "Manual refund"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=255, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    refunded_on = models.DateField()
    recorded_by = models.CharField(max_length=150, blank=True)
    key = models.CharField(max_length=100, unique=True, help_text="The caller's idempotency key.")
    transaction = models.ForeignKey(
        "GatewayTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.status})"


class CreditNote(models.Model):
    """The document of an on-account refund: its number (CN-<year>-<sequence>) reduces the invoice's balance."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="credit_notes")
    refund = models.OneToOneField(Refund, on_delete=models.PROTECT, related_name="credit_note")
    number = models.CharField(max_length=20, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    issued_on = models.DateField()
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="credit_note_amount_positive")]

    def __str__(self) -> str:
        return self.number


class GatewayTransaction(models.Model):
    """Every call made to a payment gateway, whatever its outcome."""

    class Kind(models.TextChoices):
        AUTHORIZE = "authorize", "Authorize"
        CAPTURE = "capture", "Capture"
        VOID = "void", "Void"
        REFUND = "refund", "Refund"
        SETTLE = "settle", "Invoice paid"

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        PENDING = "pending", "Pending"
        DECLINED = "declined", "Declined"
        ERROR = "error", "Error (retryable)"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    idempotency_key = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reference = models.CharField(max_length=100, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One final answer per idempotency key; retryable errors may repeat.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(outcome="error"),
                name="gatewaytx_one_final_answer_per_key",
            )
        ]
        # The Exceptions report reads the declines of a date range.
        indexes = [models.Index(fields=["created_at"], name="gatewaytx_declined_idx", condition=Q(outcome="declined"))]

    def __str__(self) -> str:
        return f"{self.kind} {self.outcome} {self.amount}"


class ProviderEvent(models.Model):
    """A payment provider's webhook event, kept once: the same event delivered again changes nothing."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="provider_events", null=True)
    outcome = models.CharField(max_length=100, blank=True, help_text="What the event changed, or why nothing.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="providerevent_once_per_provider")]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"
