"""Forms of the fraud review pages. Parsing only: the rules live in orders.services.risk."""

from django import forms

from dashboard.fields import CountryCodeField
from orders.models import DenyListEntry

DENY_CHOICES = [
    ("email", "Deny the customer's email"),
    ("address", "Deny the shipping address"),
    ("postal_code", "Deny the shipping postal code"),
]


class ApproveForm(forms.Form):
    note = forms.CharField(label="Note for the timeline", required=False, max_length=300)


class RejectForm(forms.Form):
    note = forms.CharField(label="Why (on the timeline)", required=False, max_length=300)
    deny = forms.MultipleChoiceField(
        label="Also add to the deny list", required=False, choices=DENY_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class RuleForm(forms.Form):
    is_active = forms.BooleanField(label="On", required=False)
    weight = forms.IntegerField(label="Points", min_value=0, max_value=1000)
    count = forms.IntegerField(
        label="More than (orders) / at least (declines)", min_value=1, max_value=1000, required=False
    )
    window_hours = forms.IntegerField(label="Within (hours)", min_value=1, max_value=24 * 90, required=False)
    amount = forms.DecimalField(label="Total over", min_value=0, max_digits=12, decimal_places=2, required=False)

    def __init__(self, *args, uses: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("count", "window_hours", "amount"):
            if name not in uses:
                del self.fields[name]
            else:
                self.fields[name].required = True


class HoldScoreForm(forms.Form):
    hold_score = forms.IntegerField(label="Hold for review at a score of", min_value=1, max_value=10_000)


class DenyEntryForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=DenyListEntry.Kind.choices)
    value = forms.CharField(label="Email or postal code", required=False, max_length=254)
    line1 = forms.CharField(label="Address line 1", required=False, max_length=200)
    postal_code = forms.CharField(label="Postal code of the address", required=False, max_length=20)
    country = CountryCodeField(label="Country of the address", required=False)
    note = forms.CharField(label="Note", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DenyListEntry.Kind.ADDRESS:
            for name in ("line1", "postal_code", "country"):
                if not data.get(name):
                    self.add_error(name, "Required for an address.")
        elif kind and not data.get("value"):
            self.add_error("value", "Enter the email or the postal code.")
        elif kind == DenyListEntry.Kind.EMAIL and "@" not in data.get("value", ""):
            self.add_error("value", "Enter an email address.")
        return data
