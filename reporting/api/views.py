"""Reports API: staff tokens with ``reporting.view_reports``; parse a ReportFilter, call a selector, render."""

import csv
import io
from collections.abc import Iterator

from django.db.models import OuterRef, Q, Subquery, Sum
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oms.db_router import read_from_replica
from orders.api.serializers import FIELD_ERRORS, ErrorOutput
from orders.models import Order, OrderLine
from reporting.api import serializers as s
from reporting.filters import ReportFilter, ReportFilterError
from reporting.models import OrderFact
from reporting.selectors.sales import INTERVALS, METRICS, timeseries
from reporting.selectors.summary import report_summary

ERRORS = {400: FIELD_ERRORS, 401: ErrorOutput, 403: ErrorOutput}
CSV_CHUNK = 2000
CSV_HEADER = [
    "number",
    "placed_at",
    "channel",
    "status",
    "customer_email",
    "units",
    "subtotal",
    "shipping_total",
    "tax_total",
    "total",
    "currency",
    "shipped_at",
    "delivered_at",
]


class CanViewReports(permissions.BasePermission):
    """Staff whose role carries ``reporting.view_reports``; storefront keys never (reports are staff-only)."""

    message = "Staff with a role that may view reports only."

    def has_permission(self, request, view):
        user = request.user
        return bool(getattr(user, "is_staff", False) and user.has_perm("reporting.view_reports"))


REPORTS = [permissions.IsAuthenticated, CanViewReports]
RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (shop time zone), YYYY-MM-DD."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included; at most 3 years after 'from'."),
]
SCOPE_PARAMETERS = [
    OpenApiParameter("channel", str, description="Only this channel (web, phone, email, in_store, import)."),
    OpenApiParameter("storefront", str, description="Only this storefront (id or name)."),
    OpenApiParameter("warehouse", str, description="Only orders allocated first from this warehouse (id or code)."),
]


def _filters(request) -> ReportFilter:
    try:
        return ReportFilter.from_params(request.query_params)
    except ReportFilterError as error:
        raise ValidationError({error.param: [error.message]}) from None


class SummaryView(APIView):
    permission_classes = REPORTS

    @extend_schema(
        operation_id="reports_summary",
        parameters=RANGE_PARAMETERS + SCOPE_PARAMETERS,
        responses={200: s.SummaryOutput, **ERRORS},
    )
    def get(self, request):
        return Response(s.SummaryOutput(report_summary(_filters(request))).data)


class TimeseriesView(APIView):
    permission_classes = REPORTS

    @extend_schema(
        operation_id="reports_timeseries",
        parameters=[
            OpenApiParameter("metric", str, enum=list(METRICS), required=True),
            OpenApiParameter("interval", str, enum=list(INTERVALS), description="Default: day."),
            *RANGE_PARAMETERS,
            *SCOPE_PARAMETERS,
        ],
        responses={200: s.TimeseriesPointOutput(many=True), **ERRORS},
    )
    def get(self, request):
        metric = request.query_params.get("metric", "")
        interval = request.query_params.get("interval", "") or "day"
        if metric not in METRICS:
            raise ValidationError({"metric": [f"'metric' must be one of: {', '.join(METRICS)}."]})
        if interval not in INTERVALS:
            raise ValidationError({"interval": [f"'interval' must be one of: {', '.join(INTERVALS)}."]})
        filters = _filters(request)
        from reporting.services import refresh_inline_if_no_worker

        refresh_inline_if_no_worker()
        points = timeseries(filters, metric=metric, interval=interval)
        return Response(
            [
                {"period": p["period"].isoformat(), "value": str(p["value"]) if metric == "revenue" else p["value"]}
                for p in points
            ]
        )


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def order_csv_rows(filters: ReportFilter) -> Iterator[list]:
    """The orders placed in the range (any status), oldest first, read in keyset pages of CSV_CHUNK.

    Each page is its own short query (no server-side cursor, safe behind pgbouncer in transaction mode),
    so memory stays flat whatever the range.
    """
    units = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order").annotate(n=Sum("quantity"))
    orders = Order.objects.filter(placed_at__gte=filters.start, placed_at__lt=filters.end)
    if filters.channel:
        orders = orders.filter(channel=filters.channel)
    if filters.storefront is not None:
        orders = orders.filter(storefront_id=filters.storefront)
    if filters.warehouse is not None:
        orders = orders.filter(pk__in=OrderFact.objects.filter(warehouse_id=filters.warehouse).values("order_id"))
    orders = orders.annotate(units=Subquery(units.values("n"))).order_by("placed_at", "pk")
    fields = ["pk", "number", "placed_at", "channel", "status", "customer__email", "units", "subtotal"]
    fields += ["shipping_total", "tax_total", "total", "currency", "shipped_at", "delivered_at"]
    after = None
    while True:
        page = orders
        if after is not None:
            # (placed_at, pk) > after, with the plain range first so the placed_at index bounds the scan
            page = page.filter(placed_at__gte=after[0]).filter(Q(placed_at__gt=after[0]) | Q(pk__gt=after[1]))
        rows = list(page.values_list(*fields)[:CSV_CHUNK])
        for row in rows:
            (
                _pk,
                number,
                placed,
                channel,
                status,
                email,
                n,
                subtotal,
                shipping,
                tax,
                total,
                cur,
                shipped,
                delivered,
            ) = row
            yield [number, _iso(placed), channel, status, email, n or 0, subtotal, shipping, tax, total, cur] + [
                _iso(shipped),
                _iso(delivered),
            ]
        if len(rows) < CSV_CHUNK:
            return
        after = (rows[-1][2], rows[-1][0])


def _csv_stream(filters: ReportFilter) -> Iterator[str]:
    """The CSV text, one piece per CSV_CHUNK rows (few, large writes instead of one per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    with read_from_replica():
        for count, row in enumerate(order_csv_rows(filters), start=1):
            writer.writerow(row)
            if count % CSV_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


class OrdersCsvView(APIView):
    permission_classes = REPORTS

    @extend_schema(
        operation_id="reports_orders_csv",
        parameters=RANGE_PARAMETERS + SCOPE_PARAMETERS,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Header row, one row per order."),
            **ERRORS,
        },
    )
    def get(self, request):
        filters = _filters(request)
        response = StreamingHttpResponse(_csv_stream(filters), content_type="text/csv; charset=utf-8")
        name = f"orders-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
