"""The Celery app. Tasks are routed to a queue per kind of work so each can scale on its own."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")

app = Celery("oms", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("default", "orders", "payments", "notifications", "inventory", "carriers", "webhooks")
app.conf.task_queues = [Queue(name) for name in QUEUES]

# Messages are published from web requests (the outbox relay runs right after commit). A broker that refuses
# connections or stops answering must cost a request a bounded moment, never hang it: the message stays in the
# outbox and the relay hands it over later. Without a socket timeout, a publish to a Redis that accepts the
# connection but does not answer waits forever. 5 s stays above the 1 s BRPOP poll of the workers' consumers.
app.conf.broker_connection_timeout = 2
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# One quick retry covers a pooled connection that went stale (a Redis restart); the outbox does the rest.
app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Celery reads these on every publish, each time asking Django's settings (which lack them) before its defaults;
# set once here, the lookup stops at the first place it looks.
for _key in ("task_always_eager", "task_send_sent_event", "task_repr_maxlevels", "broker_pool_acquire_timeout"):
    app.conf[_key] = app.conf[_key]
app.autodiscover_tasks()
