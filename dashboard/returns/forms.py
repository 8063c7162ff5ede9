"""Forms of the returns pages: opening a return (staff here, customers in the portal use the same form) and
the transitions that take input (reject, receive, inspect)."""

from django import forms

from oms.exceptions import DomainError
from returns.models import Condition, Resolution
from returns.policy import return_policy

MAX_COMMENT = 1000


class ReturnOpenForm(forms.Form):
    """Pick lines and quantities, a reason each, refund or exchange (with the replacement SKU and quantity).

    ``lines``: the order's ``ReturnableLine`` rows; lines with nothing left to return are not offered.
    """

    resolution = forms.ChoiceField(
        label="Refund or exchange", choices=Resolution.choices, initial=Resolution.REFUND, widget=forms.RadioSelect
    )
    exchange_sku = forms.CharField(label="Replacement SKU", required=False, max_length=64)
    exchange_quantity = forms.IntegerField(label="Replacement quantity", required=False, min_value=1, max_value=999)

    def __init__(self, data=None, *, lines):
        super().__init__(data)
        self.offered = [row for row in lines if row.returnable > 0]
        reasons = return_policy().reason_choices()
        for row in self.offered:
            pk, sku = row.line.pk, row.line.sku
            self.fields[f"quantity-{pk}"] = forms.IntegerField(
                label=f"Quantity of {sku} to return", min_value=0, max_value=row.returnable, initial=0
            )
            self.fields[f"reason-{pk}"] = forms.ChoiceField(label=f"Reason for {sku}", choices=reasons)
            self.fields[f"comment-{pk}"] = forms.CharField(
                label=f"Comment on {sku}",
                required=False,
                max_length=MAX_COMMENT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple]:
        return [
            (row, self[f"quantity-{row.line.pk}"], self[f"reason-{row.line.pk}"], self[f"comment-{row.line.pk}"])
            for row in self.offered
        ]

    def clean(self):
        data = super().clean()
        if self.offered and not any(data.get(f"quantity-{row.line.pk}") for row in self.offered):
            raise forms.ValidationError("Choose at least one item to return.")
        if data.get("resolution") == Resolution.EXCHANGE and not data.get("exchange_sku"):
            self.add_error("exchange_sku", "Name the SKU you want instead.")
        return data

    def lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "sku": row.line.sku,
                "quantity": data[f"quantity-{row.line.pk}"],
                "reason": data[f"reason-{row.line.pk}"],
                "comment": data[f"comment-{row.line.pk}"],
            }
            for row in self.offered
            if data.get(f"quantity-{row.line.pk}")
        ]

    def exchange_lines(self) -> list[dict]:
        data = self.cleaned_data
        if data["resolution"] != Resolution.EXCHANGE:
            return []
        return [{"sku": data["exchange_sku"].strip(), "quantity": data.get("exchange_quantity") or 1}]


def service_errors_add(form: forms.Form, exc: DomainError) -> None:
    """The returns services name nested fields (``lines`` → index → name → messages): their words go above the
    form, a field the form has beside it."""
    for field, problems in exc.fields.items():
        for message in _messages(problems):
            form.add_error(field if field in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


def _messages(problems) -> list[str]:
    if isinstance(problems, dict):
        return [m for value in problems.values() for m in _messages(value)]
    if isinstance(problems, list | tuple):
        return [m for value in problems for m in _messages(value)]
    return [str(problems)]


class RejectForm(forms.Form):
    reason = forms.CharField(label="Reason for the customer", max_length=500)


class ReceiveForm(forms.Form):
    warehouse = forms.ModelChoiceField(label="Received at", queryset=None, empty_label=None)

    def __init__(self, *args, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses


class InspectForm(forms.Form):
    """Per returned line: the condition found and the inspector's notes."""

    def __init__(self, data=None, *, return_request):
        super().__init__(data)
        self.return_lines = list(return_request.lines.all())
        conditions = [(c, label) for c, label in Condition.choices if c]
        for rl in self.return_lines:
            self.fields[f"condition-{rl.pk}"] = forms.ChoiceField(
                label=f"Condition of {rl.order_line.sku}", choices=conditions, widget=forms.RadioSelect
            )
            self.fields[f"notes-{rl.pk}"] = forms.CharField(
                label=f"Notes on {rl.order_line.sku}", required=False, max_length=2000
            )

    def rows(self) -> list[tuple]:
        return [(rl, self[f"condition-{rl.pk}"], self[f"notes-{rl.pk}"]) for rl in self.return_lines]

    def lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "sku": rl.order_line.sku,
                "quantity": rl.quantity,
                "condition": data[f"condition-{rl.pk}"],
                "notes": data[f"notes-{rl.pk}"],
            }
            for rl in self.return_lines
        ]


class ClaimForm(forms.Form):
    """A claim on shipped goods the carrier lost or damaged: which lines and how many, reship or refund, and
    why. ``lines``: the order's lines that shipped something."""

    RESHIP, REFUND = "reship", "refund"

    action = forms.ChoiceField(
        label="Settle by",
        choices=[(RESHIP, "Reship at no charge (a replacement order)"), (REFUND, "Refund, goods not coming back")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What happened (carrier, tracking, what the customer says)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, lines):
        super().__init__(data)
        self.offered = [line for line in lines if line.quantity_shipped > 0]
        for line in self.offered:
            self.fields[f"quantity-{line.pk}"] = forms.IntegerField(
                label=f"Quantity of {line.sku} lost or damaged",
                min_value=0,
                max_value=line.quantity_shipped,
                initial=0,
            )

    def rows(self) -> list[tuple]:
        return [(line, self[f"quantity-{line.pk}"]) for line in self.offered]

    def clean(self):
        data = super().clean()
        if self.offered and not any(data.get(f"quantity-{line.pk}") for line in self.offered):
            raise forms.ValidationError("Choose at least one item the claim is about.")
        return data

    def lines(self) -> list[dict]:
        return [
            {"sku": line.sku, "quantity": self.cleaned_data[f"quantity-{line.pk}"]}
            for line in self.offered
            if self.cleaned_data.get(f"quantity-{line.pk}")
        ]
