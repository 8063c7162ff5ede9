"""Fraud screening's configuration: the rules (weight, limits, on/off), the score that holds, the deny list.

The rules themselves are code (``orders.services.risk``); these rows only tune them. A rule without a row
runs with its defaults, so a fresh install screens orders before anyone opens the settings page.
"""

from django.db import models


class RiskRuleCode(models.TextChoices):
    EMAIL_VELOCITY = "email_velocity", "Many orders from one email"
    CARD_VELOCITY = "card_velocity", "Many orders with one card"
    COUNTRY_MISMATCH = "country_mismatch", "Billing and shipping countries differ on a large order"
    FIRST_ORDER = "first_order", "Large first order"
    DENY_LIST = "deny_list", "Email, address or postal code on the deny list"
    DECLINES = "declines", "Declined payments lately"


class RiskRule(models.Model):
    """One rule's settings. ``count`` and ``window_hours`` are for the counting rules, ``amount`` (in the shop's
    currency) for the ones about the order's total; a rule ignores what it does not use."""

    code = models.CharField(max_length=30, choices=RiskRuleCode.choices, unique=True)
    is_active = models.BooleanField(default=True)
    weight = models.PositiveSmallIntegerField()
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    window_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class RiskPolicy(models.Model):
    """The score at or above which an order is held for review (one row; without it, the setting's default)."""

    hold_score = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"hold at {self.hold_score}"


class DenyListEntry(models.Model):
    """An email, a street address or a postal code orders are screened against. ``value`` is normalised
    (``orders.services.risk.deny_value``) so a different letter case or spacing still matches."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        ADDRESS = "address", "Address"
        POSTAL_CODE = "postal_code", "Postal code"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=300)
    note = models.CharField(max_length=200, blank=True)
    added_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="denylist_one_entry_per_value")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"
