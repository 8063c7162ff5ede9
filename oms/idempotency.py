"""``Idempotency-Key`` for POSTs that create something: a retry with the same key gets the first answer.

The key is scoped to the caller (``owner``). The same key with a different body is a client bug and gets
409; so does a retry that arrives while the first request is still running. Server errors (5xx) are not
remembered, so a retry after one runs again. Stored answers expire after ``OMS_IDEMPOTENCY_TTL_DAYS``
(default 7) and are purged by a beat job.
"""

import functools
import hashlib
import json
from collections.abc import Callable
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rest_framework.response import Response

from oms import compiled, deferred, prepared
from oms.exceptions import ConflictError, InvalidInput
from oms.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("Location",)
MAX_KEY_LENGTH = 255


def request_fingerprint(*, method: str, path: str, body: object) -> str:
    canonical = json.dumps({"m": method, "p": path, "b": body}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent_post(request, *, owner: str, handler: Callable[[], Response], along: bool = False) -> Response:
    """Answer an API POST once per ``Idempotency-Key`` of ``owner``; its path and JSON body are the request's
    fingerprint (the same key with another body is refused). ``along``: see ``run_idempotent``."""
    return run_idempotent(
        owner=owner,
        key=request.headers.get(HEADER),
        fingerprint=request_fingerprint(method="POST", path=request.path, body=request.data),
        handler=handler,
        along=along,
    )


def run_idempotent(
    *, owner: str, key: str | None, fingerprint: str, handler: Callable[[], Response], along: bool = False
) -> Response:
    """Run ``handler`` once per (owner, key); replay its response to later calls with the same key.

    The key is claimed, the handler runs and its answer is stored in ONE transaction: a request that dies
    half-way (a killed worker process, a lost connection) leaves neither an order nor a claimed key behind,
    so its retry runs afresh, and a retry can never make a second order beside a stored first one. Two
    requests with the same key at once: the second is told the first is still running (409), never waits.

    ``along``: the handler's first query may take the claim along (``claim_along``; placement's catalog read), which
    saves the claim a round trip of its own. A handler runs nothing it keeps before that query; if the key turns out
    stored or held by another request there, all is rolled back and the request is answered the usual way. A
    handler that answered without taking the claim has it taken before its answer is stored; one that raised
    before (a body refused by its checks) is run again the usual way, claim first, so a used key still gets its
    replay or 409 whatever the body.
    """
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
    try:
        try:
            return _run_claimed(owner=owner, key=key, fingerprint=fingerprint, handler=handler, along=along)
        except _ClaimNotFresh:  # rolled back whole: as when the claim comes first
            return _run_claimed(owner=owner, key=key, fingerprint=fingerprint, handler=handler)
    except IntegrityError as exc:
        # The first request with this key committed between this one's snapshot and its lock (they are taken in
        # one statement, see ``_claim_and_read``): this request's work is rolled back, and it answers as a retry.
        if not _key_clash(exc) or (record := _stored(owner=owner, key=key)) is None:
            raise
        return _replay(record, fingerprint=fingerprint, key=key)


def _key_clash(error: IntegrityError) -> bool:
    """The error is the unique (owner, key) of the stored answers, not some other constraint of the handler's."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == KEY_CONSTRAINT


KEY_CONSTRAINT = IdempotencyRecord._meta.constraints[0].name


def _run_claimed(
    *, owner: str, key: str, fingerprint: str, handler: Callable[[], Response], along: bool = False
) -> Response:
    with transaction.atomic():
        if along and transaction.get_connection().vendor == "postgresql":
            claim = _Along(owner=owner, key=key)
            token = _along.set(claim)
            try:
                with deferred.holding() as held:  # the handler's last writes go with the answer's
                    try:
                        response = handler()
                    except Exception:
                        if not claim.taken:  # refused before its first query (a bad body): a used key answers first
                            raise _ClaimNotFresh from None
                        raise
                    if not claim.taken and _claim_and_read(owner=owner, key=key) is not None:
                        raise _ClaimNotFresh
                    held.run(_stored_answer(owner=owner, key=key, fingerprint=fingerprint, response=response))
            finally:
                _along.reset(token)
            return response
        record = _claim_and_read(owner=owner, key=key)
        if record is not None:
            return _replay(record, fingerprint=fingerprint, key=key)
        response = handler()
        if statements := _stored_answer(owner=owner, key=key, fingerprint=fingerprint, response=response):
            with transaction.get_connection().cursor() as cursor:
                cursor.execute(prepared.marked(statements[0][0]), statements[0][1])
        return response


def _stored_answer(*, owner: str, key: str, fingerprint: str, response: Response) -> list[deferred.Statement]:
    """The INSERT that stores ``response`` for the key (none for a server error, which a retry runs again)."""
    if response.status_code >= 500:
        return []
    record = IdempotencyRecord(
        owner=owner,
        key=key,
        request_hash=fingerprint,
        response_status=response.status_code,
        response_body=response.data,
        response_headers={name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)},
    )
    return [deferred.insert_sql([record])]  # built once, run prepared: this follows every keyed POST


class _Along:
    """The claim a handler's first query may take (``run_idempotent``'s ``along``)."""

    def __init__(self, *, owner: str, key: str):
        self.owner, self.key, self.taken = owner, key, False


_along: ContextVar[_Along | None] = ContextVar("idempotency_claim_along", default=None)


class _ClaimNotFresh(Exception):
    """The key taken along turned out stored or held by another request: roll back, then answer the usual way."""


def claim_along() -> dict[str, str] | None:
    """The claim the current query may take along, as values for ``claim_along_columns`` (lock, owner and key), or
    None when there is none to take (no key, taken already, not asked for)."""
    claim = _along.get()
    if claim is None or claim.taken:
        return None
    return {"claim_lock": _lock_name(claim.owner, claim.key), "claim_owner": claim.owner, "claim_key": claim.key}


def claim_along_columns(values: dict) -> dict:
    """The claim as two columns of another query: ``idempotency_claimed`` (this transaction holds the key now; an
    uncorrelated subquery, taken once) and ``idempotency_stored`` (an answer is stored for it)."""
    stored = IdempotencyRecord.objects.filter(owner=values["claim_owner"], key=values["claim_key"])
    return {
        "idempotency_claimed": RawSQL(
            "(SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0)))",
            [values["claim_lock"]],
            output_field=BooleanField(),
        ),
        "idempotency_stored": Exists(stored),
    }


CLAIM_ALONG_NAMES = ["idempotency_claimed", "idempotency_stored"]


def claim_along_taken(*, claimed: bool, stored: bool) -> None:
    """What the query read of the claim: taken, or (stored or held elsewhere) the whole request is rolled back."""
    if not claimed or stored:
        raise _ClaimNotFresh
    _along.get().taken = True


def _lock_name(owner: str, key: str) -> str:
    return f"idempotency:{owner}:{key}"


def _replay(record: IdempotencyRecord, *, fingerprint: str, key: str) -> Response:
    if record.request_hash != fingerprint:
        raise ConflictError(
            f"{HEADER} '{key}' was already used with a different request body.", code="idempotency_key_reused"
        )
    replay = Response(record.response_body, status=record.response_status, headers=record.response_headers)
    replay["Idempotent-Replayed"] = "true"
    return replay


def _claim_and_read(*, owner: str, key: str) -> IdempotencyRecord | None:
    """``_claim`` then ``_stored``; on PostgreSQL in one statement, the lock taken as its row is read.

    The statement's snapshot is taken before the lock: a first request that commits its answer in between is
    missed, and this one's own answer then clashes with it on the unique (owner, key), which
    ``run_idempotent`` turns into a replay. Everywhere else the read comes after the lock, as two statements.
    """
    if transaction.get_connection().vendor != "postgresql":
        _claim(owner=owner, key=key)
        return _stored(owner=owner, key=key)
    (row,) = compiled.raw(
        IdempotencyRecord, _claim_sql(), [_lock_name(owner, key), owner, key], key="idempotency-claim"
    )
    if not row.claimed:
        raise ConflictError(
            f"A request with {HEADER} '{key}' is still being processed; retry shortly.",
            code="idempotency_in_progress",
        )
    return None if row.pk is None else _unexpired(row)


@functools.cache
def _claim_sql() -> str:
    """``_claim_and_read``'s statement on PostgreSQL (written once: it runs for every keyed POST)."""
    columns = ", ".join(f'r."{f.column}"' for f in IdempotencyRecord._meta.concrete_fields)
    return prepared.marked(
        f"SELECT {columns}, pg_try_advisory_xact_lock(hashtextextended(%s, 0)) AS claimed "
        f"FROM (SELECT 1) one LEFT JOIN {IdempotencyRecord._meta.db_table} r ON r.owner = %s AND r.key = %s"
    )


def _claim(*, owner: str, key: str) -> None:
    """Hold the (owner, key) for the rest of the transaction; 409 if another request holds it now.

    On PostgreSQL a transaction-scoped advisory lock on a hash of the pair (released at commit or rollback,
    so a dead request never keeps it); SQLite runs one writer at a time anyway.
    """
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", [_lock_name(owner, key)])
        (claimed,) = cursor.fetchone()
    if not claimed:
        raise ConflictError(
            f"A request with {HEADER} '{key}' is still being processed; retry shortly.",
            code="idempotency_in_progress",
        )


def _stored(*, owner: str, key: str) -> IdempotencyRecord | None:
    """The stored answer for the key, if it has not expired. Expired answers (and rows an earlier version left
    "in progress") are deleted, so the key can be used again."""
    record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
    return None if record is None else _unexpired(record)


def _unexpired(record: IdempotencyRecord) -> IdempotencyRecord | None:
    """The record, unless it has expired (or an earlier version left it "in progress"): then it is deleted."""
    expired = timezone.now() - record.created_at > timedelta(days=settings.OMS_IDEMPOTENCY_TTL_DAYS)
    if record.response_status is None or expired:
        record.delete()
        return None
    return record


def idempotency_records_purge(*, now=None) -> int:
    """Delete stored answers past ``OMS_IDEMPOTENCY_TTL_DAYS``; how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OMS_IDEMPOTENCY_TTL_DAYS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
