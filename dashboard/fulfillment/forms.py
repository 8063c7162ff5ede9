"""Forms of the warehouse pages: the work-list filter and the pack-and-ship form.

The pack form is built from the order's pack plan: per warehouse, a "packed" tick per line, and a grid of
parcels (columns) × lines (rows) holding quantities, with a weight per parcel. It parses what was typed;
whether the parcels add up is the service's rule (``order_pack_and_ship``), whose field errors the form
maps back beside the inputs they concern.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms

from dashboard.fulfillment.selectors import PackLine, PackWarehouse
from orders.models import OrderStatus
from orders.services.fulfillment import ParcelInput
from shipping.models import QualityCheck
from shipping.services import QcLineResult, RateOption

# Enough boxes for any order a parcel carrier takes; more is a pallet, handled outside this page.
MAX_PARCELS_PER_WAREHOUSE = 20


class FulfillmentFilterForm(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=None, required=False, empty_label="All warehouses")
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "All stages"),
            (OrderStatus.FULFILLING, "To pack (fulfilling)"),
            (OrderStatus.CONFIRMED, "To start (confirmed)"),
            (OrderStatus.SHIPPED, "Shipped (print labels and slips)"),
        ],
        label="Stage",
    )

    def __init__(self, *args, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses


@dataclass
class ParcelColumn:
    """One parcel of one warehouse as the template draws it."""

    number: int
    weight: forms.BoundField
    quantities: list[forms.BoundField]
    computed_weight_kg: Decimal
    errors: list[str] = field(default_factory=list)


@dataclass
class WarehouseSection:
    warehouse: PackWarehouse
    rows: list[tuple[PackLine, forms.BoundField, list[forms.BoundField]]]
    parcels: list[ParcelColumn]
    count: forms.BoundField
    errors: list[str] = field(default_factory=list)
    unticked: list[str] = field(default_factory=list)


def _packed(line: PackLine) -> str:
    return f"packed-{line.allocation_id}"


def _quantity(warehouse: PackWarehouse, number: int, line: PackLine) -> str:
    return f"p-{warehouse.id}-{number}-{line.allocation_id}"


def _weight(warehouse: PackWarehouse, number: int) -> str:
    return f"p-{warehouse.id}-{number}-weight"


def _count(warehouse: PackWarehouse) -> str:
    return f"parcels-{warehouse.id}"


def parcel_counts(data, plan: list[PackWarehouse]) -> dict[int, int]:
    """How many parcels each warehouse has on the submitted form (1 when absent or nonsense).

    ``add_parcel=<warehouse id>`` and ``remove_parcel=<warehouse id>`` (the buttons beside the grid)
    change the count by one.
    """
    counts = {}
    for warehouse in plan:
        try:
            count = int(data.get(_count(warehouse), 1))
        except (TypeError, ValueError):
            count = 1
        if data.get("add_parcel") == str(warehouse.id):
            count += 1
        if data.get("remove_parcel") == str(warehouse.id):
            count -= 1
        counts[warehouse.id] = min(max(count, 1), MAX_PARCELS_PER_WAREHOUSE)
    return counts


class PackForm(forms.Form):
    service = forms.ChoiceField(label="Carrier rate", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Note for the timeline", required=False, max_length=500, help_text="Optional, e.g. why a rate changed."
    )

    def __init__(
        self,
        data=None,
        *,
        plan: list[PackWarehouse],
        initial_service: str,
        counts: dict[int, int] | None = None,
        preview: bool = False,
    ):
        """``preview``: re-show what was typed (after adding or removing a parcel) without judging it yet."""
        self.plan = plan
        self.counts = counts or {w.id: 1 for w in plan}
        initial = {"service": initial_service}
        if data is None:
            initial.update(self._fresh_initial())
        elif preview:
            initial.update({key: data.get(key) for key in data if key not in ("add_parcel", "remove_parcel")})
            for warehouse in plan:
                initial[_count(warehouse)] = self.counts[warehouse.id]
                for number in range(1, self.counts[warehouse.id] + 1):
                    for line in warehouse.lines:
                        initial.setdefault(_quantity(warehouse, number, line), 0)
            data = None
        super().__init__(data, initial=initial)
        self.parcel_errors: dict[tuple[int, int], list[str]] = {}
        self.warehouse_errors: dict[int, list[str]] = {}
        for warehouse in plan:
            self.fields[_count(warehouse)] = forms.IntegerField(
                min_value=1, max_value=MAX_PARCELS_PER_WAREHOUSE, widget=forms.HiddenInput
            )
            for line in warehouse.lines:
                self.fields[_packed(line)] = forms.BooleanField(
                    required=False, label=f"Packed: {line.quantity} × {line.sku}"
                )
            for number in range(1, self.counts[warehouse.id] + 1):
                for line in warehouse.lines:
                    self.fields[_quantity(warehouse, number, line)] = forms.IntegerField(
                        required=False,
                        min_value=0,
                        max_value=line.quantity,
                        label=f"Quantity of {line.sku} in parcel {number}",
                        widget=forms.NumberInput(
                            attrs={
                                "class": "qty",
                                "inputmode": "numeric",
                                "data-parcel": f"{warehouse.id}-{number}",
                                "data-unit-weight": str(line.unit_weight_kg),
                            }
                        ),
                    )
                self.fields[_weight(warehouse, number)] = forms.DecimalField(
                    required=False,
                    max_digits=8,
                    decimal_places=3,
                    label=f"Weight of parcel {number} (kg)",
                    widget=forms.NumberInput(
                        attrs={
                            "step": "0.001",
                            "min": "0",
                            "class": "weight",
                            "data-weight-of": f"{warehouse.id}-{number}",
                        }
                    ),
                )

    def _fresh_initial(self) -> dict:
        """A first look: everything of a warehouse in its first parcel, weighed as the catalogue says."""
        initial = {}
        for warehouse in self.plan:
            initial[_count(warehouse)] = self.counts[warehouse.id]
            for number in range(1, self.counts[warehouse.id] + 1):
                for line in warehouse.lines:
                    initial[_quantity(warehouse, number, line)] = line.quantity if number == 1 else 0
                initial[_weight(warehouse, number)] = _kg(warehouse.weight_kg) if number == 1 else None
        return initial

    def offer_rates(self, options: list[RateOption], *, default: RateOption | None, keep_choice: bool) -> None:
        """The rates to choose from (quoted for ``parcel_weights``, so known only after parsing); a first look
        picks ``default`` (the cheapest on time), a re-shown form keeps the packer's choice while offered."""
        self.fields["service"].choices = [(option.key, option.label) for option in options]
        offered = {option.key for option in options}
        if default is not None and not (keep_choice and self.initial.get("service") in offered):
            self.initial["service"] = default.key

    # --- reading what was typed -------------------------------------------------------------------------
    def packed(self) -> list[int]:
        return [line.allocation_id for w in self.plan for line in w.lines if self.cleaned_data.get(_packed(line))]

    def parcels(self) -> list[ParcelInput]:
        """The parcels in form order (warehouse by warehouse); ``parcel_keys`` maps each back to its column."""
        result = []
        self.parcel_keys: list[tuple[int, int]] = []
        for warehouse in self.plan:
            for number in range(1, self.counts[warehouse.id] + 1):
                contents: dict[str, int] = {}
                for line in warehouse.lines:
                    quantity = self.cleaned_data.get(_quantity(warehouse, number, line)) or 0
                    contents[line.sku] = contents.get(line.sku, 0) + quantity
                result.append(
                    ParcelInput(
                        warehouse_id=warehouse.id,
                        weight_kg=self.cleaned_data.get(_weight(warehouse, number)),
                        contents=contents,
                    )
                )
                self.parcel_keys.append((warehouse.id, number))
        return result

    def total_weight_kg(self) -> Decimal:
        return sum(self.parcel_weights(), Decimal("0"))

    def parcel_weights(self) -> list[Decimal]:
        """What the rates are quoted for: the parcels' weights typed so far; a warehouse with none typed
        counts as one parcel of its catalogue weight."""
        weights = []
        for warehouse in self.plan:
            typed = []
            for number in range(1, self.counts[warehouse.id] + 1):
                name = _weight(warehouse, number)
                try:
                    # The weight field's own rules (at most 8 digits): a value it refuses, such as 1e30, is
                    # left out of the quote instead of breaking the rate arithmetic.
                    value = self.fields[name].clean(self[name].value())
                except forms.ValidationError:
                    continue
                if value is not None and value > 0:
                    typed.append(value)
            weights.extend(typed or [warehouse.weight_kg])
        return weights

    # --- errors from the service ------------------------------------------------------------------------
    def add_service_errors(self, fields: dict[str, list[str]], message: str) -> None:
        """Put each of the service's field errors beside the input, parcel or warehouse it names."""
        by_code = {w.code: w.id for w in self.plan}
        keys = getattr(self, "parcel_keys", [])
        placed = False
        for key, messages in fields.items():
            parts = key.split(".")
            if parts[0] == "packed" and f"packed-{parts[1]}" in self.fields:
                self.add_error(f"packed-{parts[1]}", messages)
            elif parts[0] == "parcels" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(keys):
                warehouse_id, number = keys[int(parts[1])]
                if parts[2] == "weight_kg":
                    self.add_error(f"p-{warehouse_id}-{number}-weight", messages)
                else:
                    self.parcel_errors.setdefault((warehouse_id, number), []).extend(messages)
            elif parts[0] == "contents" and len(parts) >= 3 and parts[1] in by_code:
                self.warehouse_errors.setdefault(by_code[parts[1]], []).extend(messages)
            elif key == "service":
                self.add_error("service", messages)
            else:
                self.add_error(None, messages)
            placed = True
        if not placed:
            self.add_error(None, message)

    @property
    def has_problems(self) -> bool:
        """Errors the service found that sit beside a parcel or a warehouse rather than a field."""
        return bool(self.parcel_errors or self.warehouse_errors)

    # --- what the template draws -------------------------------------------------------------------------
    def sections(self) -> list[WarehouseSection]:
        sections = []
        for warehouse in self.plan:
            count = self.counts[warehouse.id]
            rows = [
                (line, self[_packed(line)], [self[_quantity(warehouse, n, line)] for n in range(1, count + 1)])
                for line in warehouse.lines
            ]
            parcels = []
            for number in range(1, count + 1):
                computed = Decimal("0")
                for line in warehouse.lines:
                    try:
                        computed += line.unit_weight_kg * int(self[_quantity(warehouse, number, line)].value() or 0)
                    except (TypeError, ValueError):
                        continue
                parcels.append(
                    ParcelColumn(
                        number=number,
                        weight=self[_weight(warehouse, number)],
                        quantities=[self[_quantity(warehouse, number, line)] for line in warehouse.lines],
                        computed_weight_kg=_kg(computed),
                        errors=self.parcel_errors.get((warehouse.id, number), []),
                    )
                )
            sections.append(
                WarehouseSection(
                    warehouse=warehouse,
                    rows=rows,
                    parcels=parcels,
                    count=self[_count(warehouse)],
                    errors=self.warehouse_errors.get(warehouse.id, []),
                    unticked=[e for _, packed, _ in rows for e in packed.errors],
                )
            )
        return sections


def _kg(weight: Decimal) -> Decimal:
    return Decimal(weight).quantize(Decimal("0.001"))


class QualityCheckForm(forms.Form):
    """The inspector's checklist: per line, a tick per configured check and the values to record.

    Field names follow the service's error keys (``lines.<id>.serial``), so its errors land beside them.
    """

    on_fail = forms.ChoiceField(
        label="If a check fails",
        required=False,
        widget=forms.RadioSelect,
        choices=QualityCheck.OnFail.choices,
        help_text="Re-pick sends the failed lines back to picking; hold stops the order (reason: quality).",
    )
    notes = forms.CharField(label="Notes", required=False, max_length=500)

    def __init__(self, data=None, *, check: QualityCheck):
        super().__init__(data)
        self.check_lines = list(check.lines.all())
        for line in self.check_lines:
            for n, item in enumerate(line.checks):
                self.fields[f"lines.{line.pk}.check.{n}"] = forms.BooleanField(label=item["name"], required=False)
            for record in line.records:
                field = forms.DateField if record == "expiry" else forms.CharField
                kwargs = (
                    {"widget": forms.DateInput(attrs={"type": "date"})} if record == "expiry" else {"max_length": 100}
                )
                self.fields[f"lines.{line.pk}.{record}"] = field(
                    label=f"{record.capitalize()} of {line.sku}", required=False, **kwargs
                )
            self.fields[f"lines.{line.pk}.note"] = forms.CharField(
                label=f"Note on {line.sku}", required=False, max_length=300
            )

    def rows(self) -> list[tuple]:
        """Per line: the line, its check boxes, its record inputs and its note (for the template)."""
        return [
            (
                line,
                [self[f"lines.{line.pk}.check.{n}"] for n in range(len(line.checks))],
                [self[f"lines.{line.pk}.{record}"] for record in line.records],
                self[f"lines.{line.pk}.note"],
            )
            for line in self.check_lines
        ]

    def results(self) -> dict[int, QcLineResult]:
        data = self.cleaned_data
        return {
            line.pk: QcLineResult(
                checks={c["name"]: data[f"lines.{line.pk}.check.{n}"] for n, c in enumerate(line.checks)},
                serial=data.get(f"lines.{line.pk}.serial") or "",
                lot=data.get(f"lines.{line.pk}.lot") or "",
                expiry=data.get(f"lines.{line.pk}.expiry"),
                note=data[f"lines.{line.pk}.note"],
            )
            for line in self.check_lines
        }
