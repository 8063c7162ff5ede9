"""Forms of the customer portal: they shape the input; the services decide (and validate again)."""

from django import forms

from orders.services.support import COMMENT_MAX_LENGTH, MESSAGE_MAX_LENGTH
from payments.services import TOKEN_MAX_LENGTH


class PortalForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels read as questions or names, without a trailing colon
        super().__init__(*args, **kwargs)


class LookupForm(PortalForm):
    number = forms.CharField(
        label="Order number",
        max_length=20,
        help_text="It is in the subject of every email we sent you, e.g. “K7M2Q9XA”.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address you ordered with.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CancelForm(PortalForm):
    reason = forms.CharField(
        label="Why are you cancelling? (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InquiryForm(PortalForm):
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        help_text="We answer by email, usually within one working day.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FeedbackForm(PortalForm):
    RATINGS = [(1, "1 star"), (2, "2 stars"), (3, "3 stars"), (4, "4 stars"), (5, "5 stars")]

    rating = forms.TypedChoiceField(
        label="Your rating",
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5 stars."},
    )
    comment = forms.CharField(
        label="Anything you would like to tell us? (optional)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CardRetryForm(PortalForm):
    """A new card for an order held because its card was declined; the service checks the token's shape."""

    token = forms.CharField(
        label="New card",
        max_length=TOKEN_MAX_LENGTH,
        help_text="The card token our secure card form gives you (in the demo: tok_ok is accepted, tok_decline "
        "is declined).",
        error_messages={"required": "Enter the new card's token."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
