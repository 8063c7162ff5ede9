"""Customers (with their credit terms), their addresses, and tax rates by destination."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact


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


def default_payment_terms_days() -> int:
    """Days an on-account customer has to pay an invoice, unless agreed otherwise (OMS_INVOICE_DUE_DAYS)."""
    return settings.OMS_INVOICE_DUE_DAYS


class Customer(models.Model):
    class PaymentTerms(models.TextChoices):
        PREPAID = "prepaid", "Prepaid"
        ON_ACCOUNT = "on_account", "On account"

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    payment_terms = models.CharField(max_length=20, choices=PaymentTerms.choices, default=PaymentTerms.PREPAID)
    credit_limit = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    payment_terms_days = models.PositiveSmallIntegerField(
        default=default_payment_terms_days,
        validators=[MaxValueValidator(365)],
        help_text="On account: an invoice is due this many days after it is issued.",
    )
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

    def belongs_to(self, storefront_id: int) -> bool:
        """Is this the storefront's own customer (it made them), or one the shop shared with it? Only then may
        it ask to bill the customer's credit line (the credit check then decides on the terms and limit)."""
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
