"""Timestamped HMAC signatures on webhook bodies: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.

One scheme for the inbound carrier webhook (``X-OMS-Signature``) and Stripe's ``Stripe-Signature``, which
signs the same way; each caller names its header and the error it raises.
"""

import hashlib
import hmac
import time

from oms.exceptions import DomainError


def timestamped_sign(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def timestamped_verify(
    *,
    secret: str,
    header: str,
    body: bytes,
    tolerance: int,
    error: type[DomainError],
    header_name: str,
    now: float | None = None,
) -> None:
    """Raise ``error`` unless ``header`` signs ``body`` with ``secret`` no more than ``tolerance`` s away."""
    if not secret:  # anyone can sign with an empty key: with no secret configured, nothing is genuine
        raise error("No webhook secret is configured for this sender.")
    parts: dict[str, list[str]] = {}
    for item in (header or "").split(","):
        key, _, value = item.strip().partition("=")
        if key and value:
            parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise error(f"Missing or malformed {header_name} header.") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise error("Stale signature timestamp.")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", [])):
        raise error("Signature does not match.")
