"""The scheduled KPI email goes out once per period: two beat runs, or two beats at once, send one email."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from reporting import services
from reporting.models import ScheduledReportRun
from reporting.scheduled import report_period, scheduled_report_claim
from tests.factories import ProductFactory
from tests.reporting.records import at, order_row

MONDAY = date(2026, 1, 12)


@pytest.fixture
def recipients(settings):
    settings.OMS_REPORT_RECIPIENTS = ["boss@oms.example", "finance@oms.example"]
    settings.OMS_REPORT_SCHEDULE = "weekly"


def test_the_week_before_is_reported_once_with_its_pdf(db, recipients, commit):
    order_row(at(date(2026, 1, 7), 10), total="40.00", lines=[(ProductFactory(price=Decimal("40.00")), 1)])
    services.rebuild(date(2025, 12, 29), date(2026, 1, 11))

    for _beat_run in range(2):
        with commit():
            scheduled_report_claim(today=MONDAY)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["boss@oms.example", "finance@oms.example"]
    assert email.subject == "KPI summary 05 Jan – 11 Jan 2026"
    html = email.alternatives[0][0]
    assert "Revenue" in html and "40.00" in html
    ((name, pdf, kind),) = email.attachments
    assert (name, kind, pdf[:5]) == ("kpi-summary-2026-01-05.pdf", "application/pdf", b"%PDF-")
    assert ScheduledReportRun.objects.get().sent_at is not None


def test_nothing_is_claimed_without_recipients(db, settings):
    settings.OMS_REPORT_RECIPIENTS = []

    assert scheduled_report_claim(today=MONDAY) is None
    assert not ScheduledReportRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_claim_the_period_once(recipients, postgres_only, parallel, settings):
    settings.OMS_TASKS_INLINE = False  # the claim only; the outbox message waits for the relay

    runs = parallel([lambda: scheduled_report_claim(today=MONDAY)] * 2)

    assert sum(run is not None for run in runs) == 1
    assert ScheduledReportRun.objects.count() == 1


def test_periods():
    assert report_period(date(2026, 1, 14), "weekly") == (date(2026, 1, 5), date(2026, 1, 11))
    assert report_period(date(2026, 1, 14), "daily") == (date(2026, 1, 13), date(2026, 1, 13))
