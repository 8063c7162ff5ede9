"""The scheduled KPI email: weekly (Mondays, for the week before) or daily (for the day before), to the staff
addresses in ``OMS_REPORT_RECIPIENTS``, as HTML with the PDF attached, exactly once per period.

Once: ``scheduled_report_claim`` (beat, hourly) inserts the period's ``ScheduledReportRun`` row (unique per
kind and period start) and writes the outbox message in the same transaction, so two beats, or one beat run
twice, claim a period once. The task locks the row and sends only while ``sent_at`` is empty, then sets it
in the same transaction; a failed send rolls back and the task is retried by the outbox.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from oms import outbox
from reporting.documents import summary_pdf
from reporting.filters import ReportFilter, shop_today
from reporting.models import ScheduledReportRun

TASK = "reporting.tasks.send_scheduled_report_task"


def report_period(today: date, schedule: str) -> tuple[date, date]:
    """The last complete period before ``today``: the week Monday–Sunday, or yesterday."""
    if schedule == "daily":
        return today - timedelta(days=1), today - timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday - timedelta(days=1)


def scheduled_report_claim(*, today: date | None = None) -> ScheduledReportRun | None:
    """Claim the last complete period if nobody has; the new run, or None (claimed already, or no recipients)."""
    recipients = [address for address in settings.OMS_REPORT_RECIPIENTS if address]
    if not recipients:
        return None
    schedule = "daily" if settings.OMS_REPORT_SCHEDULE == "daily" else "weekly"
    first, last = report_period(today or shop_today(), schedule)
    try:
        with transaction.atomic():
            run = ScheduledReportRun.objects.create(
                kind=schedule, period_start=first, period_end=last, recipients=", ".join(recipients)
            )
            outbox.enqueue(TASK, dedupe_key=f"report:{schedule}:{first.isoformat()}", run_id=run.pk)
    except IntegrityError:
        return None
    return run


def _change(now, before) -> str:
    if now is None or not before:
        return "–"
    return f"{(now - before) / before:+.0%}"


def scheduled_report_figures(filters: ReportFilter) -> dict:
    """Plain values for the email and the PDF."""
    from reporting.selectors.flow import on_time_rates
    from reporting.selectors.sales import sales_comparison, timeseries
    from reporting.selectors.summary import report_summary

    summary = report_summary(filters)
    comparison = sales_comparison(filters)
    now, before = comparison["current"], comparison["previous"]
    previous_ship = on_time_rates(filters.previous())["ship"]["rate"]

    def percent(value):
        return "–" if value is None else f"{value:.0%}"

    rows = [
        ("Orders", now["orders"], before["orders"], _change(now["orders"], before["orders"])),
        ("Units", now["units"], before["units"], _change(now["units"], before["units"])),
        ("Revenue", now["revenue"], before["revenue"], _change(now["revenue"], before["revenue"])),
        ("Average order value", now["average_order_value"] or "–", before["average_order_value"] or "–", ""),
        ("Cancelled", now["cancelled"], before["cancelled"], _change(now["cancelled"], before["cancelled"])),
        ("On-time shipping", percent(summary["on_time_ship_rate"]), percent(previous_ship), ""),
    ]
    p50 = summary["cycle_time_hours"]["placed_to_delivered"]["p50"]
    csat = summary["csat"]
    return {
        "from": filters.date_from,
        "to": filters.date_to,
        "rows": [tuple(str(value) for value in row) for row in rows],
        "placed_to_delivered_p50": p50,
        "csat": csat,
        "holds_by_reason": summary["holds_by_reason"],
        "orders_per_day": timeseries(filters, metric="orders", interval="day"),
        "note": (
            f"Placed to delivered (median): {'–' if p50 is None else f'{p50} h'} · "
            f"CSAT: {csat['average'] if csat['average'] is not None else '–'} from {csat['responses']} ratings · "
            f"Currency {settings.OMS_CURRENCY}"
        ),
    }


def scheduled_report_send(*, run_id: int) -> bool:
    """Send the run's email unless it went already; True when this call sent it."""
    with transaction.atomic():
        run = ScheduledReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.sent_at is not None:
            return False
        figures = scheduled_report_figures(ReportFilter(date_from=run.period_start, date_to=run.period_end))
        context = {"figures": figures, "site_url": settings.SITE_URL}
        period = f"{run.period_start:%d %b} – {run.period_end:%d %b %Y}"
        message = EmailMultiAlternatives(
            subject=f"KPI summary {period}",
            body=render_to_string("emails/reporting/summary.txt", context),
            to=[address.strip() for address in run.recipients.split(",") if address.strip()],
        )
        message.attach_alternative(render_to_string("emails/reporting/summary.html", context), "text/html")
        message.attach(f"kpi-summary-{run.period_start.isoformat()}.pdf", summary_pdf(figures), "application/pdf")
        message.send()
        run.sent_at = timezone.now()
        run.save(update_fields=["sent_at"])
    return True
