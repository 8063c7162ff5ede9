"""Celery tasks of the reporting app: thin, idempotent."""

from celery import shared_task

from reporting import services


@shared_task
def refresh_reports_task() -> int:
    """Beat, every OMS_REPORT_REFRESH_SECONDS: marked orders into facts and rollups."""
    return services.refresh_dirty()
