"""Dashboard pages for transfers between warehouses: the list, a new transfer, and the transfer page with its
steps (pick, ship, receive with per-line quantities, cancel).

Thin views: a form parses, one service of ``inventory.transfers`` acts, ``oms.page_actions`` answers.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.inventory.views import documents_by_status
from inventory import selectors
from inventory.models import Transfer, TransferStatus, Warehouse
from inventory.transfers import transfer_cancel, transfer_create, transfer_pick, transfer_receive, transfer_ship
from oms.access import staff_required
from oms.page_actions import page_action

VIEW = "inventory.view_transfer"
ACT = "inventory.transfer_stock"
LINE_ROWS = 6
MAX_UNITS = 1_000_000
# The step buttons a transfer offers in each state.
STEPS = {
    TransferStatus.DRAFT: ["pick", "cancel"],
    TransferStatus.PICKED: ["ship", "cancel"],
    TransferStatus.SHIPPED: ["receive"],
}
SERVICES = {"pick": transfer_pick, "ship": transfer_ship, "cancel": transfer_cancel}
DONE = {
    "pick": "picked: the units are reserved at {src}",
    "ship": "shipped: in transit to {dst}",
    "cancel": "cancelled",
}


class TransferForm(forms.Form):
    """From, to, notes and up to ``LINE_ROWS`` lines of SKU and quantity (empty rows are skipped)."""

    from_warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label="From", empty_label=None)
    to_warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label="To", empty_label=None)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_warehouse"].queryset = selectors.warehouse_list()
        self.fields["to_warehouse"].queryset = selectors.warehouse_list().filter(is_active=True)
        for index in range(LINE_ROWS):
            self.fields[f"sku_{index}"] = forms.CharField(label=f"SKU, line {index + 1}", required=False, max_length=64)
            self.fields[f"quantity_{index}"] = forms.IntegerField(
                label=f"Quantity, line {index + 1}", required=False, min_value=1, max_value=MAX_UNITS
            )

    @property
    def rows(self):
        return [(self[f"sku_{i}"], self[f"quantity_{i}"]) for i in range(LINE_ROWS)]

    def clean(self):
        data = super().clean()
        lines = []
        for index in range(LINE_ROWS):
            sku, quantity = (data.get(f"sku_{index}") or "").strip(), data.get(f"quantity_{index}")
            if not sku and quantity is None:
                continue
            product = selectors.product_get_by_sku(sku=sku) if sku else None
            if product is None:
                self.add_error(f"sku_{index}", f"No product with the SKU '{sku}'." if sku else "Enter the SKU.")
            elif quantity is None and f"quantity_{index}" not in self.errors:
                self.add_error(f"quantity_{index}", "Enter how many units.")
            elif quantity is not None:
                lines.append((product.pk, quantity))
        if not lines and not self.errors:
            raise forms.ValidationError("Add at least one product to transfer.")
        data["lines"] = lines
        return data


class ReceiveForm(forms.Form):
    """Units that arrived, per line; each starts at the quantity shipped."""

    def __init__(self, *args, transfer: Transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(transfer.lines.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.product.sku} received", min_value=0, max_value=line.quantity, initial=line.quantity
            )

    @property
    def rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


def _transfer_or_404(number: str) -> Transfer:
    found = selectors.transfer_get(number=number)
    if found is None:
        raise Http404(f"No transfer {number}.")
    return found


@require_safe
@staff_required(VIEW)
def transfer_list(request: HttpRequest) -> HttpResponse:
    return documents_by_status(
        request,
        rows=selectors.transfer_list,
        statuses=TransferStatus.choices,
        template="dashboard/inventory/transfer_list.html",
    )


@require_http_methods(["GET", "POST"])
@staff_required(VIEW, ACT)
def transfer_new(request: HttpRequest) -> HttpResponse:
    form = TransferForm(request.POST if request.method == "POST" else None)

    def page(form: TransferForm) -> HttpResponse:
        status = 400 if form.is_bound else 200
        return render(request, "dashboard/inventory/transfer_new.html", {"form": form}, status=status)

    if request.method != "POST":
        return page(form)

    def created(transfer: Transfer) -> HttpResponse:
        messages.success(request, f"Transfer {transfer.number} created: pick it when the goods are ready.")
        return redirect("dashboard:stock_transfer_detail", number=transfer.number)

    return page_action(
        request,
        form=form,
        act=lambda: transfer_create(
            from_warehouse_id=form.cleaned_data["from_warehouse"].pk,
            to_warehouse_id=form.cleaned_data["to_warehouse"].pk,
            lines=form.cleaned_data["lines"],
            notes=form.cleaned_data["notes"],
            user=request.user,
        ),
        done=created,
        back=lambda: redirect("dashboard:stock_transfers"),
        again=page,
    )


def _detail(request: HttpRequest, transfer: Transfer, *, receive_form=None, status: int = 200) -> HttpResponse:
    may_act = request.user.has_perm(ACT)
    steps = STEPS.get(transfer.status, []) if may_act else []
    if "receive" in steps and receive_form is None:
        receive_form = ReceiveForm(transfer=transfer)
    context = {
        "transfer": transfer,
        "lines": list(transfer.lines.all()),
        "steps": [s for s in steps if s != "receive"],
        "receive_form": receive_form if "receive" in steps else None,
    }
    return render(request, "dashboard/inventory/transfer_detail.html", context, status=status)


@require_safe
@staff_required(VIEW)
def transfer_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, _transfer_or_404(number))


@require_POST
@staff_required(VIEW, ACT)
def transfer_step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    """Pick, ship or cancel: a message on the transfer page either way."""
    transfer = _transfer_or_404(number)
    if step not in SERVICES:
        raise Http404("No such step.")
    done = DONE[step].format(src=transfer.from_warehouse.code, dst=transfer.to_warehouse.code)
    return page_action(
        request,
        act=lambda: SERVICES[step](transfer_id=transfer.pk, user=request.user),
        told=lambda t: f"Transfer {t.number} {done}.",
        back=lambda: redirect("dashboard:stock_transfer_detail", number=transfer.number),
    )


@require_POST
@staff_required(VIEW, ACT)
def transfer_receive_view(request: HttpRequest, number: str) -> HttpResponse:
    transfer = _transfer_or_404(number)
    form = ReceiveForm(request.POST, transfer=transfer)

    def told(t: Transfer) -> str:
        short = sum(line.quantity - line.quantity_received for line in t.lines.all())
        missing = f" {short} unit{'s' if short != 1 else ''} did not arrive." if short else ""
        return f"Transfer {t.number} received at {t.to_warehouse.code}.{missing}"

    return page_action(
        request,
        form=form,
        act=lambda: transfer_receive(transfer_id=transfer.pk, quantities=form.quantities(), user=request.user),
        told=told,
        back=lambda: redirect("dashboard:stock_transfer_detail", number=transfer.number),
        again=lambda bad: _detail(request, _transfer_or_404(number), receive_form=bad, status=400),
    )
