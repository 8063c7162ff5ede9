"""The purge job keeps the tables that only grow small: it removes what is past its retention, nothing else."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from oms.models import OutboxMessage
from oms.tasks import purge_old_records_task

pytestmark = pytest.mark.django_db


def _attempt(username: str, days_ago: float) -> None:
    attempt = AccessAttempt.objects.create(username=username, ip_address="203.0.113.9", failures_since_start=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(days=days_ago))


def test_old_failed_sign_ins_go_recent_ones_stay(settings):
    settings.OMS_LOGIN_ATTEMPT_RETENTION_DAYS = 7
    _attempt("old", days_ago=8)
    _attempt("recent", days_ago=1)

    purged = purge_old_records_task()

    assert purged["login_attempts"] == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]


def test_a_failed_sign_in_still_in_its_cool_off_stays_whatever_the_retention(settings):
    settings.OMS_LOGIN_ATTEMPT_RETENTION_DAYS = 0
    settings.AXES_COOLOFF_TIME = timedelta(hours=2)
    _attempt("locked", days_ago=0.01)

    purge_old_records_task()

    assert AccessAttempt.objects.filter(username="locked").exists()


def test_the_job_purges_every_kind_in_one_run(settings):
    settings.OMS_OUTBOX_RETENTION_DAYS = 7
    handed_over = OutboxMessage.objects.create(task_name="t", dispatched_at=timezone.now() - timedelta(days=8))
    pending = OutboxMessage.objects.create(task_name="t")
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=30))
    _attempt("old", days_ago=30)

    purged = purge_old_records_task()

    assert purged == {"outbox": 1, "idempotency": 0, "login_attempts": 1}
    # a message never handed over is work still to do: kept however old
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [pending.pk]
    assert not OutboxMessage.objects.filter(pk=handed_over.pk).exists()
