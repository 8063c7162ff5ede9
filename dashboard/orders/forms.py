"""Forms of the order desk pages: list filters, bulk actions, transitions, edits, notes, assignment, answers.

The order page's finance forms (mark paid, invoice payment, card retry) are in ``dashboard.finance.forms``.
"""

from django import forms
from django.contrib.auth import get_user_model

from dashboard.fields import CountryCodeField, address_check
from dashboard.orders.selectors import DEFAULT_SORT, QUEUES, OrderFilters
from inventory.models import Warehouse
from orders.models import REGION_HELP, Channel, HoldReason, OrderStatus
from orders.services.placement import MAX_QUANTITY

MAX_LINES = 100

SORT_CHOICES = [
    ("-placed", "Newest first"),
    ("placed", "Oldest first"),
    ("priority", "Fulfillment priority"),
    ("ship_by", "Ship-by date"),
    ("-total", "Total, highest first"),
    ("total", "Total, lowest first"),
    ("number", "Order number"),
]


def _any(choices, label: str = "Any") -> list:
    return [("", label), *choices]


class OrderFilterForm(forms.Form):
    """The order list's filters; all optional, all in the query string."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Order no., email, name, tracking no."}),
    )
    status = forms.ChoiceField(label="Status", required=False, choices=_any(OrderStatus.choices))
    channel = forms.ChoiceField(label="Channel", required=False, choices=_any(Channel.choices))
    hold_reason = forms.ChoiceField(label="Hold reason", required=False, choices=_any(HoldReason.choices))
    warehouse = forms.TypedChoiceField(label="Warehouse", required=False, coerce=int, empty_value=None)
    queue = forms.ChoiceField(label="Work queue", required=False, choices=_any(QUEUES.items(), "All orders"))
    date_from = forms.DateField(label="Placed from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Placed to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sku = forms.CharField(
        label="Product SKU",
        required=False,
        max_length=64,
        # Orders with a line of exactly this SKU, in any case; no help text, to keep the filter row even.
        widget=forms.TextInput(attrs={"placeholder": "e.g. KIT-MUG-350", "spellcheck": "false", "autocomplete": "off"}),
    )
    customer = forms.IntegerField(
        label="Customer id", required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    assigned = forms.ChoiceField(
        label="Assigned to", required=False, choices=[("", "Anyone"), ("me", "Me"), ("nobody", "Nobody")]
    )
    sort = forms.ChoiceField(label="Sort", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, warehouses=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if warehouses is None:
            warehouses = Warehouse.objects.order_by("priority", "code").values_list("pk", "code")
        self.fields["warehouse"].choices = _any([(pk, code) for pk, code in warehouses])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Must be on or after the start date.")
        return data

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        if sku and not sku.isprintable():
            raise forms.ValidationError("Only printable characters, on one line.")
        return sku

    def filters(self) -> OrderFilters:
        """The valid filters (an invalid one is ignored, and shown beside its field)."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return OrderFilters(
            status=data.get("status") or "",
            channel=data.get("channel") or "",
            hold_reason=data.get("hold_reason") or "",
            warehouse=data.get("warehouse"),
            queue=data.get("queue") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to") if "date_to" not in self.errors else None,
            customer=data.get("customer"),
            sku=data.get("sku") or "",
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or DEFAULT_SORT,
            assigned_to=self.user.pk if data.get("assigned") == "me" and self.user else None,
            unassigned=data.get("assigned") == "nobody",
        )


BULK_ACTIONS = {
    # action: (label, permission)
    "start_fulfillment": ("Start fulfillment", "orders.start_fulfillment"),
    "pick_list": ("Print pick lists", "orders.start_fulfillment"),
    "hold": ("Put on hold", "orders.hold_order"),
    "release": ("Release hold", "orders.release_order"),
}


def bulk_actions_for(user) -> list[tuple[str, str]]:
    return [(action, label) for action, (label, perm) in BULK_ACTIONS.items() if user.has_perm(perm)]


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(label="Action", choices=[(a, label) for a, (label, _) in BULK_ACTIONS.items()])
    orders = forms.CharField(required=False)  # filled from the checkboxes; see clean_orders
    hold_reason = forms.ChoiceField(label="Hold reason", required=False, choices=_any(HoldReason.choices, "—"))
    reason = forms.CharField(label="Note", required=False, max_length=500)

    def __init__(self, data=None, *args, **kwargs):
        self.numbers = [n for n in (data.getlist("orders") if data is not None else []) if n]
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.numbers:
            self.add_error(None, "Select at least one order.")
        if data.get("action") == "hold":
            if not data.get("hold_reason"):
                self.add_error("hold_reason", "Choose why the orders are held.")
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Say why the orders are held.")
        return data


class HoldForm(forms.Form):
    hold_reason = forms.ChoiceField(label="Hold reason", choices=_any(HoldReason.choices, "Choose a reason"))
    reason = forms.CharField(label="Note", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="hold", **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason for cancelling", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cancel", **kwargs)


class TransitionForm(forms.Form):
    """The other transitions: an optional note."""

    reason = forms.CharField(label="Note", required=False, max_length=500)


class NoteForm(forms.Form):
    body = forms.CharField(label="Internal note", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Assigned to", required=False, queryset=get_user_model().objects.none(), empty_label="Nobody"
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class InquiryAnswerForm(forms.Form):
    answer = forms.CharField(label="Answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DetailsForm(forms.Form):
    """The shipping and billing addresses and the special instructions of an order not yet in fulfillment."""

    ship_name = forms.CharField(label="Name", max_length=200)
    ship_line1 = forms.CharField(label="Address line 1", max_length=200)
    ship_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    ship_city = forms.CharField(label="City", max_length=100)
    ship_region = forms.CharField(
        label="State / province / region", max_length=100, required=False, help_text=REGION_HELP
    )
    ship_postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    ship_country = forms.CharField(
        label="Country", max_length=2, disabled=True, help_text="Tax and shipping were priced for this country."
    )
    bill_name = forms.CharField(label="Name", max_length=200)
    bill_line1 = forms.CharField(label="Address line 1", max_length=200)
    bill_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    bill_city = forms.CharField(label="City", max_length=100)
    bill_region = forms.CharField(
        label="State / province / region", max_length=100, required=False, help_text=REGION_HELP
    )
    bill_postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    bill_country = CountryCodeField(help_text="")
    notes = forms.CharField(
        label="Special instructions", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        address_check(self, data, prefix="ship")
        address_check(self, data, prefix="bill")
        return data

    @classmethod
    def initial_for(cls, order) -> dict:
        initial = {"notes": order.notes}
        for prefix, address in (("ship", order.shipping_address), ("bill", order.billing_address)):
            for field in ("name", "line1", "line2", "city", "region", "postal_code", "country"):
                initial[f"{prefix}_{field}"] = getattr(address, field)
        return initial

    def address(self, prefix: str) -> dict:
        fields = ("name", "line1", "line2", "city", "region", "postal_code") + (
            ("country",) if prefix == "bill" else ()
        )
        return {f: self.cleaned_data[f"{prefix}_{f}"].strip() for f in fields}


# --- changing the lines of a placed order ---------------------------------------------------------------------
class LineForm(forms.Form):
    """One row of the "Edit lines" formset; a row without an SKU is left out."""

    sku = forms.CharField(label="SKU", max_length=64, required=False)
    quantity = forms.IntegerField(label="Quantity", min_value=1, max_value=MAX_QUANTITY, required=False)

    def clean(self):
        data = super().clean()
        data["sku"] = (data.get("sku") or "").strip()
        if data["sku"] and data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", "Enter a quantity.")
        return data


LineFormSet = forms.formset_factory(LineForm, extra=1, can_delete=True, max_num=MAX_LINES, validate_max=True)


def line_rows(formset) -> list:
    """The rows that make the new lines: with an SKU, not marked for removal (in the order shown)."""
    return [f for f in formset.forms if f.cleaned_data.get("sku") and not f.cleaned_data.get("DELETE")]


def line_rows_posted(data, prefix: str = "lines") -> list[dict]:
    """The rows as typed (to show them again with one more), without validating them."""
    try:
        count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_LINES)
    except ValueError:
        count = 0
    rows = []
    for index in range(count):
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        rows.append(
            {
                "sku": data.get(f"{prefix}-{index}-sku", "").strip()[:64],
                "quantity": data.get(f"{prefix}-{index}-quantity", "").strip()[:12],
            }
        )
    return rows


class CancelPartForm(forms.Form):
    """How many units of which lines to cancel: parallel ``sku`` / ``quantity`` lists, one pair per line (blank or
    0: none of it), and why."""

    reason = forms.CharField(label="Reason", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="part", **kwargs)

    def clean(self):
        data = super().clean()
        skus = [s.replace("\x00", "").strip()[:64] for s in self.data.getlist("sku")][:MAX_LINES]
        quantities = self.data.getlist("quantity")
        lines = []
        for sku, text in zip(skus, quantities, strict=False):
            text = text.strip()
            if text in ("", "0"):
                continue
            try:
                quantity = int(text)
            except ValueError:
                self.add_error(None, f"{sku}: enter a whole number of units to cancel.")
                continue
            if not 0 < quantity <= MAX_QUANTITY:
                self.add_error(None, f"{sku}: enter between 1 and the quantity on the order.")
                continue
            lines.append((sku, quantity))
        if not lines and not self.errors:
            self.add_error(None, "Enter how many units of which line to cancel.")
        data["lines"] = lines
        return data
