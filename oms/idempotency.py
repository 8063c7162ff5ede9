"""``Idempotency-Key`` for POSTs that create something: a retry with the same key gets the first answer.

The key is scoped to the caller (``owner``). The same key with a different body is a client bug and gets
409; so does a retry that arrives while the first request is still running. Server errors (5xx) are not
remembered, so a retry after one runs again.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from oms.exceptions import ConflictError, InvalidInput
from oms.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("Location",)
MAX_KEY_LENGTH = 255
# A record left "in progress" this long belongs to a request that died; a retry may take it over.
STALE_AFTER = timedelta(minutes=2)


def request_fingerprint(*, method: str, path: str, body: object) -> str:
    canonical = json.dumps({"m": method, "p": path, "b": body}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_idempotent(*, owner: str, key: str | None, fingerprint: str, handler: Callable[[], Response]) -> Response:
    """Run ``handler`` once per (owner, key); replay its response to later calls with the same key."""
    if not key:
        return handler()
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            f"{HEADER} must be at most {MAX_KEY_LENGTH} characters.",
            fields={HEADER: [f"Must be at most {MAX_KEY_LENGTH} characters."]},
        )
    if "\x00" in key:  # PostgreSQL cannot store it
        raise InvalidInput(
            f"{HEADER} must not contain NUL characters.", fields={HEADER: ["Must not contain NUL characters."]}
        )

    record = _claim(owner=owner, key=key, fingerprint=fingerprint)
    if record.response_status is not None:
        replay = Response(record.response_body, status=record.response_status, headers=record.response_headers)
        replay["Idempotent-Replayed"] = "true"
        return replay
    try:
        response = handler()
    except Exception:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    if response.status_code >= 500:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
    else:
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            response_status=response.status_code,
            response_body=response.data,
            response_headers={name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)},
        )
    return response


def _claim(*, owner: str, key: str, fingerprint: str) -> IdempotencyRecord:
    for _ in range(2):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(owner=owner, key=key, request_hash=fingerprint)
        except IntegrityError:
            record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
            if record is None:
                continue
            if record.request_hash != fingerprint:
                raise ConflictError(
                    f"{HEADER} '{key}' was already used with a different request body.",
                    code="idempotency_key_reused",
                ) from None
            if record.response_status is not None:
                return record
            if timezone.now() - record.created_at > STALE_AFTER:
                IdempotencyRecord.objects.filter(pk=record.pk, response_status=None).delete()
                continue
            raise ConflictError(
                f"A request with {HEADER} '{key}' is still being processed; retry shortly.",
                code="idempotency_in_progress",
            ) from None
    raise ConflictError(f"Could not claim {HEADER} '{key}'; retry.", code="idempotency_in_progress")
