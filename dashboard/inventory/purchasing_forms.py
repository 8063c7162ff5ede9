"""Dashboard forms for purchasing. They parse input; the rules (what may change when, never more than ordered)
live in ``inventory.purchasing``.

A purchase order's lines are posted as parallel ``sku`` / ``quantity`` / ``unit_cost`` lists, one triple per
row, like the order entry's basket: adding a row needs no numbered formset.
"""

from decimal import Decimal, InvalidOperation

from django import forms

from inventory.models import PurchaseOrder, Supplier, Warehouse
from inventory.purchasing import MAX_QUANTITY

MAX_LINES = 100
BLANK_ROWS = 5


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "contact_name", "email", "phone", "lead_time_days", "is_active", "notes"]
        labels = {"lead_time_days": "Lead time (days)", "is_active": "Active"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self) -> None:
        """Names are checked by the service (ignoring case), beside the field."""


class PurchaseOrderForm(forms.Form):
    """The head of a purchase order. Once sent, only the expected date and the notes are offered."""

    supplier = forms.ModelChoiceField(queryset=Supplier.objects.none(), empty_label="Choose a supplier")
    warehouse = forms.ModelChoiceField(
        queryset=Warehouse.objects.none(), label="Deliver to", empty_label="Choose a warehouse"
    )
    expected_date = forms.DateField(
        label="Expected date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Blank on a new order: today plus the supplier's lead time.",
    )
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text="Printed on the order."
    )

    def __init__(self, *args, suppliers, warehouses, sent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers
        self.fields["warehouse"].queryset = warehouses
        self.fields["warehouse"].label_from_instance = lambda w: f"{w.code} · {w.name}"
        if sent:
            del self.fields["supplier"], self.fields["warehouse"]
            self.fields["expected_date"].required = True
            self.fields["expected_date"].help_text = "The date the supplier confirmed."


def lines_from(data) -> list[tuple[str, str, str]]:
    """(sku, quantity, unit cost) as typed, from a POST; rows without a SKU dropped, at most MAX_LINES."""
    skus = [s.replace("\x00", "").strip()[:64] for s in data.getlist("sku")]
    quantities = [q.strip()[:12] for q in data.getlist("quantity")]
    costs = [c.strip()[:20] for c in data.getlist("unit_cost")]
    quantities += [""] * (len(skus) - len(quantities))
    costs += [""] * (len(skus) - len(costs))
    return [row for row in zip(skus, quantities, costs, strict=False) if row[0]][:MAX_LINES]


def lines_parse(rows: list[tuple[str, str, str]], products: dict) -> tuple[list[tuple], list[str]]:
    """(product, quantity, unit cost) triples and the problems of the rows, each naming its SKU."""
    lines, problems = [], []
    for sku, quantity_text, cost_text in rows:
        product = products.get(sku)
        if product is None:
            problems.append(f"{sku}: no product with this SKU.")
            continue
        try:
            quantity = int(quantity_text)
        except ValueError:
            problems.append(f"{sku}: enter the quantity as a whole number.")
            continue
        if not 1 <= quantity <= MAX_QUANTITY:
            problems.append(f"{sku}: order between 1 and {MAX_QUANTITY:,} units.")
            continue
        try:
            cost = Decimal(cost_text or "0")
        except InvalidOperation:
            problems.append(f"{sku}: enter the unit cost as an amount, e.g. 4.20.")
            continue
        if not cost.is_finite() or cost < 0 or cost.as_tuple().exponent < -2 or cost >= Decimal("1e10"):
            problems.append(f"{sku}: enter the unit cost as an amount of 0 or more, e.g. 4.20.")
            continue
        lines.append((product, quantity, cost))
    return lines, problems


def line_rows(purchase_order: PurchaseOrder | None, typed: list[tuple[str, str, str]] | None = None) -> list:
    """The rows the form shows: what was typed, else the order's lines, then a few blank rows."""
    if typed is not None:
        rows = list(typed)
    elif purchase_order is not None:
        lines = purchase_order.lines.all()
        rows = [(line.product.sku, str(line.quantity_ordered), str(line.unit_cost)) for line in lines]
    else:
        rows = []
    return rows + [("", "", "")] * BLANK_ROWS


class ReceiveForm(forms.Form):
    """Units arrived now, one field per line still awaiting goods (``line_<id>``); blank is none."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.outstanding > 0]
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.product.sku} ({line.outstanding} to come)",
                required=False,
                min_value=0,
                max_value=MAX_QUANTITY,
                widget=forms.NumberInput(attrs={"placeholder": "0", "inputmode": "numeric"}),
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.lines}
