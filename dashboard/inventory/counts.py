"""Dashboard pages for cycle counts: the list of count sheets, a new sheet (warehouse and bin range), the sheet
page to enter counts (partial saves) and post them, and the printable sheet.

Thin views: a form parses, one service of ``inventory.counts`` acts, ``oms.page_actions`` answers.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.inventory.views import documents_by_status
from inventory import selectors
from inventory.counts import MAX_COUNT, cycle_count_cancel, cycle_count_create, cycle_count_post, cycle_count_record
from inventory.models import CycleCount, CycleCountStatus, StockItem, Warehouse
from oms.access import staff_required
from oms.page_actions import page_action

VIEW = "inventory.view_cyclecount"
ACT = "inventory.count_stock"
BIN_MAX = StockItem._meta.get_field("bin_location").max_length


class CountNewForm(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), empty_label=None)
    bin_from = forms.CharField(
        label="From bin", required=False, max_length=BIN_MAX, help_text="e.g. A-01; blank: from the first bin."
    )
    bin_to = forms.CharField(
        label="To bin",
        required=False,
        max_length=BIN_MAX,
        help_text="Inclusive, with the bins under it (A-09 takes A-09-3); blank: to the last bin. "
        "Both blank: the whole warehouse.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = selectors.warehouse_list()


class CountSheetForm(forms.Form):
    """One counted quantity per line of the sheet; a blank box is not counted (yet)."""

    def __init__(self, *args, cycle_count: CycleCount, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(cycle_count.lines.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"Counted {line.stock_item.product.sku}",
                required=False,
                min_value=0,
                max_value=MAX_COUNT,
                initial=line.counted,
            )

    @property
    def rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def counts(self) -> dict[int, int | None]:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


def _count_or_404(number: str) -> CycleCount:
    found = selectors.cycle_count_get(number=number)
    if found is None:
        raise Http404(f"No count sheet {number}.")
    return found


@require_safe
@staff_required(VIEW)
def count_list(request: HttpRequest) -> HttpResponse:
    return documents_by_status(
        request,
        rows=selectors.cycle_count_list,
        statuses=CycleCountStatus.choices,
        template="dashboard/inventory/count_list.html",
    )


@require_http_methods(["GET", "POST"])
@staff_required(VIEW, ACT)
def count_new(request: HttpRequest) -> HttpResponse:
    form = CountNewForm(request.POST if request.method == "POST" else None)

    def page(form: CountNewForm) -> HttpResponse:
        status = 400 if form.is_bound else 200
        return render(request, "dashboard/inventory/count_new.html", {"form": form}, status=status)

    if request.method != "POST":
        return page(form)

    def created(count: CycleCount) -> HttpResponse:
        messages.success(request, f"Count sheet {count.number} made: print it, count, and enter the counts here.")
        return redirect("dashboard:stock_count_detail", number=count.number)

    return page_action(
        request,
        form=form,
        act=lambda: cycle_count_create(
            warehouse_id=form.cleaned_data["warehouse"].pk,
            bin_from=form.cleaned_data["bin_from"],
            bin_to=form.cleaned_data["bin_to"],
            user=request.user,
        ),
        done=created,
        back=lambda: redirect("dashboard:stock_counts"),
        again=page,
    )


def _sheet(request: HttpRequest, count: CycleCount, *, form=None, status: int = 200) -> HttpResponse:
    may_count = request.user.has_perm(ACT) and count.status == CycleCountStatus.OPEN
    if may_count and form is None:
        form = CountSheetForm(cycle_count=count)
    context = {"count": count, "lines": list(count.lines.all()), "form": form if may_count else None}
    return render(request, "dashboard/inventory/count_detail.html", context, status=status)


@require_safe
@staff_required(VIEW)
def count_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _sheet(request, _count_or_404(number))


@require_safe
@staff_required(VIEW)
def count_print(request: HttpRequest, number: str) -> HttpResponse:
    """The sheet to count with on the shelf: bin, SKU, product, the on-hand snapshot and an empty box."""
    context = {"count": _count_or_404(number), "printed_at": timezone.now()}
    context["lines"] = list(context["count"].lines.all())
    return render(request, "dashboard/inventory/count_print.html", context)


@require_POST
@staff_required(VIEW, ACT)
def count_save(request: HttpRequest, number: str) -> HttpResponse:
    """Save the counts entered (``post`` in the form: and post the count)."""
    count = _count_or_404(number)
    form = CountSheetForm(request.POST, cycle_count=count)
    posting = "post" in request.POST

    def act():
        if posting:
            return cycle_count_post(cycle_count_id=count.pk, counts=form.counts(), user=request.user)
        return cycle_count_record(cycle_count_id=count.pk, counts=form.counts(), user=request.user)

    def told(done: CycleCount) -> str:
        if posting:
            return f"Count {done.number} posted: the counted lines are booked in the ledger."
        counted = sum(1 for value in form.counts().values() if value is not None)
        return f"Counts saved: {counted} of {len(form.lines)} lines counted. Post the count when it is complete."

    return page_action(
        request,
        form=form,
        act=act,
        told=told,
        back=lambda: redirect("dashboard:stock_count_detail", number=count.number),
        again=lambda bad: _sheet(request, _count_or_404(number), form=bad, status=400),
    )


@require_POST
@staff_required(VIEW, ACT)
def count_cancel(request: HttpRequest, number: str) -> HttpResponse:
    count = _count_or_404(number)
    return page_action(
        request,
        act=lambda: cycle_count_cancel(cycle_count_id=count.pk, user=request.user),
        told=lambda done: f"Count {done.number} cancelled: nothing was booked.",
        back=lambda: redirect("dashboard:stock_count_detail", number=count.number),
    )
