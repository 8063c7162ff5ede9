"""Celery tasks of the reporting app: thin, idempotent."""
