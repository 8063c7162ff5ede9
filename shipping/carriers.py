"""Carrier adapters behind one interface, and the webhook signature every carrier uses here.

The ``demo`` carrier is built in: it prices, issues tracking numbers and sends tracking events to
``POST /api/v1/shipping/webhooks/demo/`` (see ``manage.py simulate_carrier``).
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from oms.money import quantize
from shipping.exceptions import BadSignature, UnknownCarrier


@dataclass(frozen=True)
class Label:
    tracking_number: str
    label: str


class Carrier:
    code = ""
    name = ""

    def rate(self, *, flat_fee: Decimal, per_kg: Decimal, weight_kg: Decimal) -> Decimal:
        return quantize(flat_fee + per_kg * weight_kg)

    def create_label(self, *, shipment_key: str, service: str, weight_kg: Decimal, to_address: str) -> Label:
        raise NotImplementedError

    def webhook_secret(self) -> str:
        raise NotImplementedError


class DemoCarrier(Carrier):
    code = "demo"
    name = "Demo Parcel"

    def create_label(self, *, shipment_key, service, weight_kg, to_address):
        # Random, so nobody can work out another customer's tracking number from an id or the pattern.
        # A retried call may get another number: the shipment keeps the first one stored.
        tracking = f"DMO{secrets.randbelow(10**12):012d}"
        label = f"DEMO PARCEL — {service.upper()}\nTRACKING {tracking}\nWEIGHT {weight_kg} kg\nTO {to_address}\n"
        return Label(tracking, label)

    def webhook_secret(self) -> str:
        return settings.DEMO_CARRIER_WEBHOOK_SECRET


CARRIERS: dict[str, Carrier] = {c.code: c for c in (DemoCarrier(),)}


def carrier_get(code: str) -> Carrier:
    try:
        return CARRIERS[code]
    except KeyError:
        raise UnknownCarrier(f"Unknown carrier '{code}'.") from None


def sign(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``X-OMS-Signature`` header value: ``t=<unix ts>,v1=<hex HMAC-SHA256 of "ts.body">``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(*, secret: str, header: str, body: bytes, now: float | None = None) -> None:
    """Raise BadSignature unless ``header`` signs ``body`` with ``secret`` within the tolerance window."""
    if not secret:  # anyone can sign with an empty key: with no secret configured, nothing is genuine
        raise BadSignature("No webhook secret is configured for this carrier.")
    parts: dict[str, list[str]] = {}
    for item in (header or "").split(","):
        key, _, value = item.strip().partition("=")
        if key and value:
            parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise BadSignature("Missing or malformed X-OMS-Signature header.") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > settings.OMS_WEBHOOK_TOLERANCE_SECONDS:
        raise BadSignature("Stale signature timestamp.")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", [])):
        raise BadSignature("Signature does not match.")
