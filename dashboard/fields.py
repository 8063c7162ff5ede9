"""Form fields the dashboard's address forms share."""

import re

from django import forms

from oms.countries import country_code_error


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
