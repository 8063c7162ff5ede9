"""Dashboard forms for customers: the list's filters, a new customer, contact details, payment terms. Parsing only."""

from django import forms

from dashboard.customers.selectors import CUSTOMER_SORTS
from dashboard.fields import CountryCodeField, address_check
from orders.models import REGION_HELP, Customer


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label="Search name, email or phone", required=False, max_length=200)
    terms = forms.ChoiceField(
        label="Payment terms", required=False, choices=[("", "Any terms"), *Customer.PaymentTerms.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(key, label) for key, (label, _) in CUSTOMER_SORTS.items()]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"

    def values(self) -> dict:
        """The valid filters; a bad value (a hand-edited URL) falls back to the default, never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q", "") if "q" not in self.errors else "",
            "terms": data.get("terms", "") if "terms" not in self.errors else "",
            "sort": (data.get("sort") or "name") if "sort" not in self.errors else "name",
        }


class CustomerContactForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254)
    phone = forms.CharField(max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["name"].widget.attrs["autocomplete"] = "off"


class CreditTermsForm(forms.Form):
    payment_terms = forms.ChoiceField(choices=Customer.PaymentTerms.choices, widget=forms.RadioSelect)
    credit_limit = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text="The most this customer may owe on open invoices; orders beyond it go on hold.",
    )


ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


class CustomerNewForm(CustomerContactForm):
    """A new customer: contact details, an optional default address and, for finance, payment terms.

    ``may_set_terms`` False leaves the terms fields out entirely, so whatever is posted for them is ignored and
    the customer starts prepaid.
    """

    address_name = forms.CharField(
        label="Recipient", max_length=200, required=False, help_text="Leave empty to use the customer's name."
    )
    address_line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    address_city = forms.CharField(label="City", max_length=100, required=False)
    address_region = forms.CharField(
        label="State / province / region", max_length=100, required=False, help_text=REGION_HELP
    )
    address_postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    address_country = CountryCodeField(required=False)
    payment_terms = forms.ChoiceField(
        choices=Customer.PaymentTerms.choices, widget=forms.RadioSelect, initial=Customer.PaymentTerms.PREPAID
    )
    credit_limit = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=0,
        help_text="The most this customer may owe on open invoices; orders beyond it go on hold.",
    )

    def __init__(self, *args, may_set_terms: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_set_terms:
            del self.fields["payment_terms"], self.fields["credit_limit"]

    def clean(self):
        data = super().clean()
        address_check(self, data, prefix="address")
        return data

    def address(self) -> dict | None:
        """The address fields without their prefix, or None when all are empty (no address given)."""
        values = {name: self.cleaned_data.get(f"address_{name}", "").strip() for name in ADDRESS_FIELDS}
        address_only = {k: v for k, v in values.items() if k != "name"}
        return values if any(address_only.values()) else None

    def terms(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("payment_terms", "credit_limit") if k in self.fields}
