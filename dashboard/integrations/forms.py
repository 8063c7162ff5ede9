"""Dashboard forms for integrations: a webhook subscription for a storefront. Parsing only."""

from django import forms

from oms.models import Storefront
from webhooks.events import EVENT_TYPES


class SubscriptionForm(forms.Form):
    storefront = forms.ModelChoiceField(queryset=Storefront.objects.order_by("name"), empty_label=None)
    url = forms.CharField(
        label="URL", max_length=2000, help_text="https:// on a public host; the receiver answers 2xx within 5 s."
    )
    events = forms.MultipleChoiceField(
        choices=[(e, e) for e in EVENT_TYPES], widget=forms.CheckboxSelectMultiple, initial=list(EVENT_TYPES)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].widget.input_type = "url"
