"""Dashboard forms for stock changes. They parse input; the rules (never below reserved) live in the services."""

from django import forms

from inventory.models import StockItem, StockMovement

MAX_CHANGE = 1_000_000
REASON_MAX = StockMovement._meta.get_field("reason").max_length


class _StockItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StockItem) -> str:
        # Short enough for the narrow form column: the table beside it names the warehouse in full.
        return f"{obj.warehouse.code} ({obj.on_hand} on hand, {obj.reserved} reserved)"


class _StockChangeForm(forms.Form):
    """Base: which warehouse's stock row of this product, and why."""

    stock_item = _StockItemChoice(queryset=StockItem.objects.none(), label="Warehouse", empty_label=None)
    reason = forms.CharField(
        max_length=REASON_MAX, help_text="Kept in the ledger, e.g. 'Cycle count aisle A' or 'PO 4711'."
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock_item"].queryset = items

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the stock changes.")
        return reason


class StockAdjustForm(_StockChangeForm):
    delta = forms.IntegerField(
        label="Change on hand by",
        min_value=-MAX_CHANGE,
        max_value=MAX_CHANGE,
        help_text="Positive adds units, negative removes them (damaged, lost, recount).",
    )
    field_order = ["stock_item", "delta", "reason"]

    def clean_delta(self) -> int:
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError("Enter a change other than zero.")
        return delta


class StockReceiveForm(_StockChangeForm):
    quantity = forms.IntegerField(label="Units received", min_value=1, max_value=MAX_CHANGE)
    field_order = ["stock_item", "quantity", "reason"]
