"""Form fields the dashboard's address forms share."""

import re

from django import forms

from oms.countries import country_code_error
from orders.addresses import address_clean


class CountryCodeField(forms.CharField):
    """A two-letter ISO country code, upper-cased; a malformed, unknown or mistaken code ("UK") is named."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Country")
        kwargs.setdefault("help_text", "Two letters, e.g. US, DE.")
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 2, "autocapitalize": "characters"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return super().to_python(value).upper()

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise forms.ValidationError("Use a two-letter ISO country code, e.g. US.", code="invalid")
        if problem := country_code_error(value):
            raise forms.ValidationError(problem, code="unknown_country")


def address_check(form: forms.Form, data: dict, *, prefix: str) -> None:
    """Judge the address in ``{prefix}_*`` fields by the one address rule (orders/addresses.py): each problem
    goes beside its field, and a valid region or postal code is kept as the post writes it ("colorado" → "CO").

    Call from ``clean()``. An address without a valid country is left alone, and so is a field that has its
    own error already ("This field is required.").
    """
    names = ("country", "region", "postal_code", "city", "line1")
    if not data.get(f"{prefix}_country") or f"{prefix}_country" in form.errors:
        return
    clean, errors = address_clean(**{name: data.get(f"{prefix}_{name}") or "" for name in names})
    for name, problems in errors.items():
        if f"{prefix}_{name}" not in form.errors:
            for problem in problems:
                form.add_error(f"{prefix}_{name}", problem)
    if not errors:
        data[f"{prefix}_region"], data[f"{prefix}_postal_code"] = clean["region"], clean["postal_code"]
