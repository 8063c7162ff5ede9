"""The Reports filter form: rendering only. ``ReportFilter.from_params`` parses and validates the same query
parameters; its error is put beside the field it names."""

from django import forms

from inventory.models import Warehouse
from oms.models import Storefront
from orders.models import Channel


class ReportFilterForm(forms.Form):
    """from, to, channel, storefront, warehouse (and rating on the Customers page), kept in the URL."""

    def __init__(self, data, *, with_rating: bool = False, rating_choices=()):
        super().__init__(data)
        date = forms.DateInput(attrs={"type": "date"})
        self.fields["from"] = forms.CharField(label="From", required=False, widget=date)
        self.fields["to"] = forms.CharField(label="To", required=False, widget=date)
        self.fields["channel"] = forms.CharField(
            label="Channel", required=False, widget=forms.Select(choices=[("", "All channels"), *Channel.choices])
        )
        storefronts = [(str(pk), name) for pk, name in Storefront.objects.order_by("name").values_list("pk", "name")]
        self.fields["storefront"] = forms.CharField(
            label="Storefront", required=False, widget=forms.Select(choices=[("", "All storefronts"), *storefronts])
        )
        warehouses = [(str(pk), code) for pk, code in Warehouse.objects.order_by("code").values_list("pk", "code")]
        self.fields["warehouse"] = forms.CharField(
            label="Warehouse", required=False, widget=forms.Select(choices=[("", "All warehouses"), *warehouses])
        )
        if with_rating:
            self.fields["rating"] = forms.CharField(
                label="Comments rated",
                required=False,
                widget=forms.Select(choices=[("", "Any rating"), *[(r, r) for r in rating_choices]]),
            )
