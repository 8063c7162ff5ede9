"""The order entry form for phone, email and in-store orders. Parsing only: ``order_place`` holds the rules.

Lines are posted as parallel ``sku`` / ``quantity`` lists (one pair per basket row), so adding or removing a
row needs no numbered formset and works the same with htmx and without JavaScript.
"""

import uuid

from django import forms

from dashboard.fields import CountryCodeField, address_check
from orders.models import REGION_HELP, Channel, Customer
from orders.services.placement import MAX_QUANTITY
from payments.models import Payment

ENTRY_CHANNELS = [(c.value, c.label) for c in (Channel.PHONE, Channel.EMAIL, Channel.IN_STORE)]
MAX_LINES = 100
SHIP_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


def lines_from(data) -> list[tuple[str, str]]:
    """(sku, quantity as typed) pairs from a POST, blank SKUs dropped, at most MAX_LINES."""
    skus = [s.replace("\x00", "").strip() for s in data.getlist("sku")]
    quantities = data.getlist("quantity")
    quantities += [""] * (len(skus) - len(quantities))
    return [(sku[:64], qty.strip()[:12]) for sku, qty in zip(skus, quantities, strict=False) if sku][:MAX_LINES]


def line_errors(lines: list[tuple[str, str]]) -> dict[int, list[str]]:
    """Format errors of the quantities, by row index (the catalog's verdict comes from placement)."""
    errors: dict[int, list[str]] = {}
    for index, (_, text) in enumerate(lines):
        try:
            quantity = int(text)
        except ValueError:
            errors[index] = ["Enter a whole number."]
            continue
        if not 0 < quantity <= MAX_QUANTITY:
            errors[index] = [f"Must be between 1 and {MAX_QUANTITY}."]
    return errors


class OrderEntryForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    channel = forms.ChoiceField(choices=ENTRY_CHANNELS, widget=forms.RadioSelect, initial=Channel.PHONE)
    customer = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1)
    customer_name = forms.CharField(label="Customer name", max_length=200, required=False)
    customer_email = forms.EmailField(label="Customer email", max_length=254, required=False)
    customer_phone = forms.CharField(label="Customer phone", max_length=40, required=False)
    shipping_method = forms.ChoiceField(label="Shipping method", widget=forms.RadioSelect)
    payment_method = forms.ChoiceField(label="Payment", widget=forms.RadioSelect, initial=Payment.Method.CARD)
    payment_token = forms.CharField(
        label="Card token",
        max_length=100,
        required=False,
        help_text="From the card terminal or payment page, e.g. tok_ok. Card payments only.",
    )
    ship_name = forms.CharField(label="Recipient", max_length=200)
    ship_line1 = forms.CharField(label="Address line 1", max_length=200)
    ship_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    ship_city = forms.CharField(label="City", max_length=100)
    ship_region = forms.CharField(
        label="State / province / region", max_length=100, required=False, help_text=REGION_HELP
    )
    ship_postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    ship_country = CountryCodeField()
    ship_partial = forms.BooleanField(
        label="Ship in parts when stock is short",
        required=False,
        help_text="Ship what is in stock and backorder the rest; unticked, the order waits until all of it is in.",
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_ship_partial_helptext"}),
    )
    notes = forms.CharField(
        label="Special instructions", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, methods: list, customer: Customer | None, quotes: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        quotes = quotes or {}
        self.fields["shipping_method"].choices = [
            (m.code, f"{m.name} · {quotes[m.code]}" if m.code in quotes else m.name) for m in methods
        ]
        payment = [
            (Payment.Method.CARD, "Card"),
            (Payment.Method.BANK_TRANSFER, "Bank transfer"),
            (Payment.Method.CASH, "Cash (in store only)"),
        ]
        if customer is not None and customer.on_account:
            payment.append((Payment.Method.ON_ACCOUNT, "On account"))
        self.fields["payment_method"].choices = payment
        self.fields["payment_method"].error_messages["invalid_choice"] = (
            "Pick one of the payment methods offered; on account is only for customers on account terms."
        )
        self.fields["customer_phone"].widget.input_type = "tel"
        self.fields["customer_name"].widget.attrs["autocomplete"] = "off"
        self.fields["customer_email"].widget.attrs["autocomplete"] = "off"
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4().hex

    def clean(self):
        data = super().clean()
        if self.customer is None:
            if not data.get("customer_name", "").strip() and "customer_name" not in self.errors:
                self.add_error("customer_name", "Enter the new customer's name, or find an existing customer.")
            if not data.get("customer_email") and "customer_email" not in self.errors:
                self.add_error("customer_email", "Enter the new customer's email, or find an existing customer.")
        if data.get("payment_method") == Payment.Method.CARD and not data.get("payment_token", "").strip():
            self.add_error("payment_token", "A card token is required for card payments.")
        address_check(self, data, prefix="ship")
        return data
