"""Forms of finance's actions on the order page: mark a bank transfer paid, record an invoice payment, retry a card."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from payments.services import TOKEN_MAX_LENGTH, card_token_error


class FundsReceivedForm(forms.Form):
    """Money that arrived outside a gateway: the day it arrived and the reference on the bank statement."""

    prefix_name = ""
    received_on = forms.DateField(
        label="Payment received on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=100,
        help_text="Optional: the bank transfer id or cheque number, as on the statement.",
    )
    amount = forms.DecimalField(
        label="Amount received",
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="Leave empty when everything still due arrived; a smaller amount is recorded as a part payment.",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, prefix=self.prefix_name, **kwargs)

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The payment cannot have arrived in the future.")
        return day

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference.isprintable():
            raise forms.ValidationError("Only printable characters, on one line.")
        return reference


class InvoicePaymentForm(FundsReceivedForm):
    """Finance records that the customer paid an on-account invoice (all that is due, or part of it)."""

    prefix_name = "invoice"


class MarkPaidForm(FundsReceivedForm):
    """Finance marks a bank transfer order paid: the funds arrived (left empty, the day is today)."""

    prefix_name = "paid"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].label = "Funds arrived on"
        self.fields["received_on"].required = False
        self.fields["reference"].label = "Bank reference"
        self.fields["reference"].help_text = "Optional: the reference of the transfer, as on the bank statement."


class CardRetryForm(forms.Form):
    """The order desk enters a new card's token for an order whose payment failed."""

    token = forms.CharField(
        label="New card token",
        max_length=TOKEN_MAX_LENGTH,
        strip=True,
        help_text="The token the card terminal or payment page gave for the customer's new card.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the new card's token."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="retry", **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"]
        if problem := card_token_error(token):
            raise forms.ValidationError(problem)
        return token
