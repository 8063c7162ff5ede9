"""Shared building blocks that need tables: API clients, idempotency records and the outbox."""

from django.conf import settings
from django.db import models


class Storefront(models.Model):
    """A storefront (or any other system) that calls the API with its own key.

    Only a SHA-256 hash of the key is stored; the prefix finds the row without scanning.
    """

    name = models.CharField(max_length=100, unique=True)
    key_prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    # Whom to tell about the storefront's integration (a webhook subscription disabled after days of failures).
    contact_email = models.EmailField(blank=True)
    # May its orders ship in parts when stock is short? Blank: the OMS_SHIP_PARTIAL_DEFAULT setting decides.
    ship_partial = models.BooleanField(
        null=True, blank=True, help_text="Orders may ship in parts when short (blank: the system default)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_authenticated(self) -> bool:
        return True


class StaffToken(models.Model):
    """A staff member's API token (``Authorization: Token <key>``), valid until ``expires_at``.

    Only a SHA-256 hash of the key is stored, like a storefront's key: a leaked table opens nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token of {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST made with an ``Idempotency-Key``, replayed to retries."""

    owner = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"


class OutboxMessage(models.Model):
    """A task to run once the transaction that wrote it has committed.

    Written in the same transaction as the change it follows, so a crash or a broker outage delays the
    work but never loses it: the relay retries every message not yet handed over.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=50, default="default")
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="outbox_pending_idx", condition=models.Q(dispatched_at=None))
        ]

    def __str__(self) -> str:
        return f"{self.task_name}({self.kwargs})"


class BenchProbe(models.Model):
    """One row per call of the benchmark's baseline endpoint (enabled only with OMS_BENCH_ENDPOINTS)."""

    note = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"probe {self.pk}"
