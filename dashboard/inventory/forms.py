"""Dashboard forms for stock changes. They parse input; the rules (never below reserved) live in the services."""

from django import forms

from inventory.models import StockItem, StockMovement, Warehouse

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


class _ReceiptWarehouseChoice(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stock: dict[int, StockItem] = {}

    def label_from_instance(self, obj: Warehouse) -> str:
        item = self.stock.get(obj.pk)
        if item is None:
            return f"{obj.code} (not stocked yet)"
        return f"{obj.code} ({item.on_hand} on hand, {item.reserved} reserved)"


class StockReceiveForm(forms.Form):
    """A goods receipt into any active warehouse; one that does not stock the product yet gets a new row."""

    warehouse = _ReceiptWarehouseChoice(queryset=Warehouse.objects.none(), label="Warehouse", empty_label=None)
    quantity = forms.IntegerField(label="Units received", min_value=1, max_value=MAX_CHANGE)
    bin_location = forms.CharField(
        label="Bin location",
        max_length=StockItem._meta.get_field("bin_location").max_length,
        required=False,
        help_text="For a warehouse not stocking it yet, e.g. A-12-3. Optional.",
    )
    reason = forms.CharField(
        max_length=REASON_MAX, help_text="Kept in the ledger, e.g. 'Cycle count aisle A' or 'PO 4711'."
    )

    def __init__(self, *args, warehouses, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses
        self.fields["warehouse"].stock = {item.warehouse_id: item for item in items}

    clean_reason = _StockChangeForm.clean_reason


class _BinChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StockItem) -> str:
        return f"{obj.warehouse.code} (bin {obj.bin_location or 'none'})"


class StockBinForm(forms.Form):
    """Move a stock row of this product to another bin (empty clears it)."""

    stock_item = _BinChoice(queryset=StockItem.objects.none(), label="Warehouse", empty_label=None)
    bin_location = forms.CharField(
        label="New bin location", max_length=StockItem._meta.get_field("bin_location").max_length, required=False
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock_item"].queryset = items
