from celery import shared_task

from oms import outbox
from oms.idempotency import idempotency_records_purge
from oms.throttling import login_attempts_purge


@shared_task(queue="default")
def relay_outbox_task() -> int:
    """Hand over every outbox message still pending (after a broker outage, a crash, a restart)."""
    return outbox.relay(older_than=outbox.FRESH_FOR)


@shared_task(queue="default")
def purge_old_records_task() -> dict:
    """Tables that only grow: outbox messages handed over long ago, expired idempotency answers and old
    failed sign-in records."""
    return {
        "outbox": outbox.outbox_purge(),
        "idempotency": idempotency_records_purge(),
        "login_attempts": login_attempts_purge(),
    }
