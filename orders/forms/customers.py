"""Dashboard forms for customers: the list's filters, contact details, payment terms. Parsing only."""

from django import forms

from orders.models import Customer
from orders.selectors.customers import CUSTOMER_SORTS


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
