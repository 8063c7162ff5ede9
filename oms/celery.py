"""The Celery app. Tasks are routed to a queue per kind of work so each can scale on its own."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")

app = Celery("oms", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("default", "orders", "payments", "notifications", "inventory", "carriers")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.autodiscover_tasks()
