"""The Exports page of the Reports area: each export's row count for the filter (filled in by htmx so the page
itself answers at once), a CSV download streamed as it is read, and XLSX for finance (openpyxl, write-only)."""

import tempfile
from datetime import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from dashboard.reports.pages import PAGES
from dashboard.reports.tables import csv_response
from dashboard.reports.views import PERMISSION, filter_form, parse_filters
from oms.access import staff_required
from reporting.exports import EXPORTS, XLSX_MAX_ROWS, export_count, export_rows, exports_available, local_naive

FORMATS = ("csv", "xlsx")


@require_safe
@staff_required(PERMISSION)
def exports_view(request: HttpRequest) -> HttpResponse:
    filters, error = parse_filters(request)
    form = filter_form(request, filters)
    if error is not None:
        form.add_error(error.param, error.message)
    context = {
        "group": "exports",
        "title": "Exports",
        "pages": [(key, name) for key, (name, _build) in PAGES.items()],
        "form": form,
        "filters": filters,
        "exports": exports_available() if filters else [],
        "query": request.GET.urlencode(),
        "xlsx_max_rows": XLSX_MAX_ROWS,
    }
    return render(request, "dashboard/reports/exports.html", context, status=400 if error else 200)


@require_safe
@staff_required(PERMISSION)
def export_count_view(request: HttpRequest, kind: str) -> HttpResponse:
    """The htmx partial with an export's row count for the filter and its XLSX link (or why there is none)."""
    filters, error = parse_filters(request)
    if kind not in EXPORTS or error is not None:
        raise Http404("No such export.")
    count = export_count(name=kind, filters=filters)
    context = {
        "export": EXPORTS[kind],
        "count": count,
        "query": request.GET.urlencode(),
        "xlsx_max_rows": XLSX_MAX_ROWS,
    }
    return render(request, "dashboard/reports/_export_count.html", context)


@require_safe
@staff_required(PERMISSION)
def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """``<kind>.csv`` streams; ``<kind>.xlsx`` is written to a temporary file first (at most a sheet's rows)."""
    if kind not in {export.name for export in exports_available()} or fmt not in FORMATS:
        raise Http404("No such export.")
    filters, error = parse_filters(request)
    back = reverse("dashboard:reports_exports") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if error is not None:
        return redirect(back)
    export = EXPORTS[kind]
    stem = f"{kind}-{filters.date_from:%Y-%m-%d}-{filters.date_to:%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(f"{stem}.csv", export.header, export_rows(name=kind, filters=filters))
    if export_count(name=kind, filters=filters) > XLSX_MAX_ROWS:
        messages.error(
            request,
            f"{export.title}: over {XLSX_MAX_ROWS:,} rows, more than a spreadsheet holds; "
            "download the CSV or narrow the range.",
        )
        return redirect(back)
    return FileResponse(_xlsx(export, filters), as_attachment=True, filename=f"{stem}.xlsx")


def _xlsx(export, filters):
    """The export as an XLSX workbook in a temporary file (rows streamed into it by openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.title[:31])
    sheet.append(export.header)
    for row in export_rows(name=export.name, filters=filters):
        sheet.append([local_naive(value) if isinstance(value, datetime) else value for value in row])
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file
