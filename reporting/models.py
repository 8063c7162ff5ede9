"""Read-side data of the reports: one fact row per order, daily rollups, hold history, scheduled-report claims.

Nothing here is the truth about an order: every row can be rebuilt from the orders app's tables
(``manage.py reporting_rebuild``), except ``OrderHold``, which records the hold reason that the timeline
keeps only as free text (it is written in the same transaction as the hold itself).
"""

from django.db import models

NONE = 0  # storefront/warehouse "none" in rollup keys (a unique key cannot hold NULL as one value)


class OrderFact(models.Model):
    """One row per order: its dimensions, amounts and milestone timestamps, as of the last refresh.

    ``warehouse_id`` is the warehouse of the order's first allocation (0 before allocation); milestone times
    come from the order (placed, shipped, delivered, cancelled) and its timeline (first ``confirmed``).
    """

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, primary_key=True, related_name="fact")
    customer_id = models.BigIntegerField(db_index=True)
    channel = models.CharField(max_length=20)
    storefront_id = models.BigIntegerField(default=NONE)
    warehouse_id = models.BigIntegerField(default=NONE)
    status = models.CharField(max_length=30)
    status_since = models.DateTimeField(null=True, blank=True)  # when the order entered ``status``
    currency = models.CharField(max_length=3)
    units = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    cancelled = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=200, blank=True)
    placed_at = models.DateTimeField()
    placed_day = models.DateField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipped_day = models.DateField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_day = models.DateField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promised_ship_date = models.DateField(null=True, blank=True)
    estimated_delivery_date = models.DateField(null=True, blank=True)
    # The customer's n-th order (1 = first): an order in a window with 2 or more makes its customer a repeat one.
    customer_seq = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["placed_day"], name="orderfact_placed_day_idx"),
            models.Index(fields=["shipped_day"], name="orderfact_shipped_day_idx"),
            models.Index(fields=["delivered_day"], name="orderfact_delivered_day_idx"),
            models.Index(fields=["status", "status_since"], name="orderfact_status_since_idx"),
        ]
        permissions = [("view_reports", "Can view reports, report exports and the reports API")]

    def __str__(self) -> str:
        return f"facts of order {self.order_id}"


class DailyRollup(models.Model):
    """Per shop-day × channel × storefront × warehouse.

    Order figures count orders *placed* that day; ``shipped*`` count orders *shipped* that day, ``delivered*``
    orders *delivered* that day (each by its own day, so a range sums without double counting).
    """

    day = models.DateField()
    channel = models.CharField(max_length=20)
    storefront_id = models.BigIntegerField(default=NONE)
    warehouse_id = models.BigIntegerField(default=NONE)
    orders = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)  # of orders not cancelled
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)  # total of orders not cancelled
    cancelled = models.PositiveIntegerField(default=0)
    cancelled_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    shipped = models.PositiveIntegerField(default=0)
    shipped_with_promise = models.PositiveIntegerField(default=0)
    shipped_on_time = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    delivered_with_estimate = models.PositiveIntegerField(default=0)
    delivered_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel", "storefront_id", "warehouse_id"], name="dailyrollup_one_row_per_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} sf{self.storefront_id} wh{self.warehouse_id}"


class DailySkuRollup(models.Model):
    """Per shop-day × SKU × channel × storefront × warehouse: units and revenue (line totals) of orders placed
    that day and not cancelled (sum over the dimensions for a shop-wide figure)."""

    day = models.DateField()
    sku = models.CharField(max_length=64)
    channel = models.CharField(max_length=20, default="")
    storefront_id = models.BigIntegerField(default=NONE)
    warehouse_id = models.BigIntegerField(default=NONE)
    name = models.CharField(max_length=200)
    units = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "sku", "channel", "storefront_id", "warehouse_id"], name="dailyskurollup_one_row_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.sku}"


class DailyHoldRollup(models.Model):
    """Per shop-day (the hold's start) × channel × storefront × warehouse × reason: holds that began."""

    day = models.DateField()
    channel = models.CharField(max_length=20)
    storefront_id = models.BigIntegerField(default=NONE)
    warehouse_id = models.BigIntegerField(default=NONE)
    reason = models.CharField(max_length=30)
    holds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel", "storefront_id", "warehouse_id", "reason"], name="dailyholdrollup_one_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class OrderHold(models.Model):
    """One hold of an order: when, why (a HoldReason code) and when it ended (release or cancellation)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=30)
    held_at = models.DateTimeField(db_index=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["order", "released_at"], name="orderhold_open_idx")]

    def __str__(self) -> str:
        return f"hold of order {self.order_id}: {self.reason}"


class DirtyOrder(models.Model):
    """An order changed since its facts were computed; written in the changing transaction (never lost).

    ``version`` grows with every change, so the refresh removes the mark only if no change came meanwhile.
    """

    order_id = models.BigIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"order {self.order_id} v{self.version}"


class ScheduledReportRun(models.Model):
    """One scheduled KPI email per period: the unique row claimed in a transaction makes it exactly once."""

    period_start = models.DateField()
    period_end = models.DateField()
    kind = models.CharField(max_length=20, default="weekly")
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "period_start"], name="scheduledreport_once_per_period")]

    def __str__(self) -> str:
        return f"{self.kind} report {self.period_start}"
