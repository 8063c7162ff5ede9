"""Two beats running at once send each scheduled task once: only the one holding the lease sends."""

import time
from datetime import timedelta

import pytest
import redis
from celery import Celery

from oms.beat import LEASE_KEY, SingleBeatScheduler

QUEUE = "beat-lease-test"


@pytest.fixture
def broker(settings):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(QUEUE, LEASE_KEY)
    yield client
    client.delete(QUEUE, LEASE_KEY)


@pytest.fixture
def beat(settings, tmp_path, broker):
    """``beat(name)``: a beat scheduler on the test broker with one task due every second."""
    app = Celery("beat-test", broker=settings.CELERY_BROKER_URL)
    app.conf.beat_schedule = {
        "tick": {"task": "beat.test.tick", "schedule": timedelta(seconds=1), "options": {"queue": QUEUE}}
    }
    made = []

    def make(name: str) -> SingleBeatScheduler:
        scheduler = SingleBeatScheduler(app=app, schedule_filename=str(tmp_path / name))
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.close()


def _run_both(first, second, times: int) -> None:
    for _ in range(times):
        first.tick()
        second.tick()
        time.sleep(0.4)


def test_only_the_beat_holding_the_lease_sends(beat, broker):
    first, second = beat("first"), beat("second")

    _run_both(first, second, times=6)

    assert first.leads() is True
    assert second.leads() is False
    # the task, due every second, went out from the leader only: as many messages as the leader sent
    sent_by_first = first.schedule["tick"].total_run_count
    assert sent_by_first >= 1
    assert second.schedule["tick"].total_run_count == 0
    assert broker.llen(QUEUE) == sent_by_first


def test_the_standby_takes_over_when_the_leader_stops(beat, broker):
    first, second = beat("first"), beat("second")
    _run_both(first, second, times=1)
    assert second.leads() is False

    # when the leader stops cleanly, it hands the lease back
    first.close()

    assert second.leads() is True


def test_the_standby_takes_over_when_the_leaders_lease_runs_out(beat, broker, settings):
    settings.OMS_BEAT_LEASE_SECONDS = 1
    first, second = beat("first"), beat("second")
    assert first.leads() is True

    # when the leader dies without a word, its lease runs out
    broker.pexpire(LEASE_KEY, 1)
    time.sleep(0.05)

    assert second.leads() is True
    assert first.leads() is False
