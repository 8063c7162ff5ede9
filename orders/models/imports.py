"""A bulk import of orders from a CSV or XLSX file (``orders.services.imports``)."""

import uuid

from django.db import models


class OrderImport(models.Model):
    """One uploaded file and how its import went: counts of orders and the errors of the rows.

    The file itself is kept so the background task (and a restart of it) reads the same rows. ``position`` is
    how many of the file's orders are done: it moves in the transaction that places each batch of orders, so a task run
    again after a crash carries on where the last one committed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Previewed, not started"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    storefront = models.ForeignKey("oms.Storefront", on_delete=models.PROTECT, related_name="order_imports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    created_by = models.CharField(max_length=150)
    total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.created + self.skipped + self.failed) / self.total)
