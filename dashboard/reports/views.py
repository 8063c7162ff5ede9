"""The Reports pages (managers and finance: ``reporting.view_reports``): one page per group, filters in the URL,
charts with their numbers as tables, each table as CSV (``?format=csv&table=<name>``).

A bad filter is a message beside its field (status 400), never an error page.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dashboard.reports.forms import ReportFilterForm
from dashboard.reports.pages import PAGES, RATING_CHOICES
from dashboard.reports.tables import table_csv
from oms.access import staff_required
from reporting.filters import ReportFilter, ReportFilterError
from reporting.services import refresh_inline_if_no_worker

PERMISSION = "reporting.view_reports"


def filter_form(request: HttpRequest, filters: ReportFilter | None, *, group: str = "") -> ReportFilterForm:
    """The filter form as the URL gave it, with the parsed range filled in when the URL left it out."""
    data = request.GET.copy()
    if filters is not None:
        data["from"] = data.get("from") or filters.date_from.isoformat()
        data["to"] = data.get("to") or filters.date_to.isoformat()
    form = ReportFilterForm(data, with_rating=group == "customers", rating_choices=RATING_CHOICES)
    form.is_valid()
    return form


def parse_filters(request: HttpRequest) -> tuple[ReportFilter | None, ReportFilterError | None]:
    try:
        return ReportFilter.from_params(request.GET), None
    except ReportFilterError as error:
        return None, error


@require_safe
@staff_required(PERMISSION)
def report_view(request: HttpRequest, group: str) -> HttpResponse:
    """One Reports page; ``?format=csv&table=<name>`` downloads one of its tables."""
    title, build = PAGES[group]
    filters, error = parse_filters(request)
    report = None
    if error is None:
        refresh_inline_if_no_worker()
        try:
            report = build(filters, request.GET)
        except ReportFilterError as page_error:  # a parameter of the page itself (the Customers page's rating)
            error = page_error
    if error is None and request.GET.get("format") == "csv":
        table = report.table(request.GET.get("table", ""))
        if table is None:
            raise Http404("No such table on this page.")
        return table_csv(table, stem=f"{group}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}")
    form = filter_form(request, filters, group=group)
    if error is not None:
        form.add_error(error.param, error.message)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    context = {
        "group": group,
        "title": title,
        "pages": [(key, name) for key, (name, _build) in PAGES.items()],
        "form": form,
        "filters": filters,
        "previous": filters.previous() if filters else None,
        "report": report,
        "query": query.urlencode(),
    }
    return render(request, "dashboard/reports/report.html", context, status=400 if error else 200)
