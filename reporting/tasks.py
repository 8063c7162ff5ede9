"""Celery tasks of the reporting app: thin, idempotent."""

from celery import shared_task

from reporting import services


@shared_task
def refresh_reports_task() -> int:
    """Beat, every OMS_REPORT_REFRESH_SECONDS: marked orders into facts and rollups."""
    return services.refresh_dirty()


@shared_task
def claim_scheduled_report_task() -> None:
    """Beat, hourly: claim the last complete report period once (see reporting.scheduled)."""
    from reporting.scheduled import scheduled_report_claim

    scheduled_report_claim()


@shared_task
def send_scheduled_report_task(run_id: int) -> bool:
    from reporting.scheduled import scheduled_report_send

    return scheduled_report_send(run_id=run_id)
