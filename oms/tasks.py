from celery import shared_task

from oms import outbox


@shared_task(queue="default")
def relay_outbox_task() -> int:
    """Hand over every outbox message still pending (after a broker outage, a crash, a restart)."""
    return outbox.relay(older_than=outbox.FRESH_FOR)
