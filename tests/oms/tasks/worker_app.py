"""The project's Celery app for a test worker: ``celery -A tests.oms.tasks.worker_app worker ...``.

The same app, tasks and settings as production, with every Redis key under ``OMS_TEST_BROKER_PREFIX``,
so a test worker only sees the messages of its own test run, even when other runs share the Redis.
"""

import os

from oms.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "global_keyprefix": os.environ["OMS_TEST_BROKER_PREFIX"],
}

__all__ = ["app"]
