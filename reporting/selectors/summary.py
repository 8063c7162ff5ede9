"""The KPI summary of the reports API and the scheduled email: one dict from the sales and flow selectors."""

from __future__ import annotations

from reporting.filters import ReportFilter
from reporting.selectors.flow import csat_summary, cycle_times, holds_by_reason, on_time_rates
from reporting.selectors.sales import sales_summary
from reporting.services import refresh_inline_if_no_worker


def report_summary(filters: ReportFilter) -> dict:
    """The ``GET /api/v1/reports/summary/`` body (dates and Decimals as Python values)."""
    refresh_inline_if_no_worker()
    sales = sales_summary(filters)
    return {
        "from": filters.date_from,
        "to": filters.date_to,
        "orders": sales["orders"],
        "units": sales["units"],
        "revenue": sales["revenue"],
        "average_order_value": sales["average_order_value"],
        "cancelled": sales["cancelled"],
        "on_time_ship_rate": on_time_rates(filters)["ship"]["rate"],
        "cycle_time_hours": {
            stage: {"p50": times["p50"], "p90": times["p90"]} for stage, times in cycle_times(filters).items()
        },
        "holds_by_reason": holds_by_reason(filters),
        "csat": csat_summary(filters),
    }
