"""EasyPost's REST API v2 (https://api.easypost.com/v2), a multi-carrier shipping API.

- rates: ``POST /shipments`` with ``{"shipment": {"to_address", "from_address", "parcel"}}`` answers the
  shipment with its ``rates`` (``id``, ``carrier``, ``service``, ``rate`` as a string, ``currency``,
  ``delivery_days``);
- label: ``POST /shipments/<id>/buy`` with ``{"rate": {"id"}}`` answers ``tracking_code`` and
  ``postage_label.label_url``; void: ``POST /shipments/<id>/refund`` (``refund_status``);
- addresses: ``POST /addresses`` with ``{"address": {...}, "verify": true}`` answers
  ``verifications.delivery.success`` and its ``errors``;
- tracker webhooks: an Event whose ``description`` is ``tracker.updated`` and whose ``result`` is the
  Tracker (``tracking_code``, ``status``, ``tracking_details``), signed with ``X-Hmac-Signature:
  hmac-sha256-hex=<HMAC-SHA256 of the body with the webhook secret>``.

Basic auth with the API key as user name. Weights are in ounces. Settings: ``OMS_EASYPOST_API_KEY``,
``OMS_EASYPOST_BASE_URL``, ``OMS_EASYPOST_WEBHOOK_SECRET``.
"""

import base64
import hashlib
import hmac
import json
import math
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings

from oms.provider_http import TIMEOUT_SECONDS, ProviderAnswer, provider_request
from shipping.carriers import AddressCheck, Carrier, Label, Rate, ShipAddress
from shipping.exceptions import BadSignature, CarrierRefused, InvalidTrackingEvent

OUNCES_PER_KG = Decimal("35.27396195")
QUOTE_TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-Hmac-Signature"
# EasyPost's tracker statuses as this system's; pre_transit and unknown carry no news for the order.
STATUSES = {
    "in_transit": "in_transit",
    "available_for_pickup": "in_transit",
    "out_for_delivery": "out_for_delivery",
    "delivered": "delivered",
    "return_to_sender": "exception",
    "failure": "exception",
    "error": "exception",
    "cancelled": "exception",
}


def ounces(weight_kg: Decimal) -> float:
    """EasyPost weighs in ounces, at most one decimal: rounded up, so a label never says less than the scale."""
    return math.ceil(Decimal(weight_kg) * OUNCES_PER_KG * 10) / 10 or 0.1


def _address(address: ShipAddress) -> dict:
    fields = ("name", "street1", "street2", "city", "state", "zip", "country", "phone", "email")
    return {name: getattr(address, name) for name in fields if getattr(address, name)}


def _label(shipment: dict, rate: dict) -> Label:
    label_url = str((shipment.get("postage_label") or {}).get("label_url") or "")
    tracking = str(shipment.get("tracking_code") or "")
    if not tracking:
        raise CarrierRefused("EasyPost sold the label without a tracking code.", code="no_tracking_code")
    text = f"{rate.get('carrier')} {rate.get('service')}\nTRACKING {tracking}\nLABEL {label_url}\n"
    return Label(tracking, text, label_url=label_url, reference=str(shipment["id"]))


def _rates(shipment: dict) -> list[dict]:
    rates = shipment.get("rates")
    return [r for r in rates if isinstance(r, dict)] if isinstance(rates, list) else []


def _matches(rate: dict, wanted: str) -> bool:
    """``wanted`` is "CARRIER:Service", "CARRIER" (any of its services) or "" (anything)."""
    if not wanted:
        return True
    carrier, _, service = wanted.partition(":")
    return rate.get("carrier") == carrier and (not service or rate.get("service") == service)


class EasyPostCarrier(Carrier):
    code = "easypost"
    name = "EasyPost"

    def _call(
        self, path: str, payload: dict | None = None, *, method: str = "POST", timeout: float = TIMEOUT_SECONDS
    ) -> dict:
        token = base64.b64encode(f"{settings.OMS_EASYPOST_API_KEY}:".encode()).decode()
        answer: ProviderAnswer = provider_request(
            method,
            settings.OMS_EASYPOST_BASE_URL.rstrip("/") + path,
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
            body=None if method == "GET" else json.dumps(payload or {}).encode(),
            timeout=timeout,
        )
        if answer.status >= 400:
            error = answer.data.get("error") if isinstance(answer.data.get("error"), dict) else {}
            raise CarrierRefused(
                f"EasyPost refused: {error.get('message') or answer.status}", code=str(error.get("code") or "")[:50]
            )
        return answer.data

    def _shipment(
        self, *, weight_kg: Decimal, to_address: ShipAddress, from_address: ShipAddress, timeout=TIMEOUT_SECONDS
    ) -> dict:
        return self._call(
            "/shipments",
            {
                "shipment": {
                    "to_address": _address(to_address),
                    "from_address": _address(from_address),
                    "parcel": {"weight": ounces(weight_kg)},
                }
            },
            timeout=timeout,
        )

    def quote(self, *, method, weight_kg, to_address, from_address):
        # A packer waits for these: a carrier slower than this is left out of the page, not waited for.
        shipment = self._shipment(
            weight_kg=weight_kg, to_address=to_address, from_address=from_address, timeout=QUOTE_TIMEOUT_SECONDS
        )
        rates = []
        for rate in _rates(shipment):
            if not _matches(rate, method.carrier_service):
                continue
            try:
                price = Decimal(str(rate.get("rate")))
            except InvalidOperation:
                continue
            days = rate.get("delivery_days", rate.get("est_delivery_days"))
            rates.append(
                Rate(
                    service=f"{rate.get('carrier')}:{rate.get('service')}",
                    price=price,
                    currency=str(rate.get("currency") or settings.OMS_CURRENCY),
                    delivery_days=days if isinstance(days, int) else None,
                )
            )
        return rates

    def prepare_label(self, *, weight_kg, to_address, from_address):
        return str(self._shipment(weight_kg=weight_kg, to_address=to_address, from_address=from_address)["id"])

    def buy_label(self, *, shipment_key, service, carrier_service, weight_kg, to_address, from_address, reference=""):
        if reference:  # prepared before: read it again, it may have been bought by a run that died after buying
            shipment = self._call(f"/shipments/{reference}", method="GET")
            if shipment.get("tracking_code"):
                return _label(shipment, shipment.get("selected_rate") or {})
        else:
            shipment = self._shipment(weight_kg=weight_kg, to_address=to_address, from_address=from_address)
        offered = [r for r in _rates(shipment) if _matches(r, carrier_service)]
        if not offered:
            raise CarrierRefused(f"EasyPost offers no {carrier_service or 'rate'} for this parcel now.", code="no_rate")
        rate = min(offered, key=lambda r: Decimal(str(r.get("rate") or "Infinity")))
        bought = self._call(f"/shipments/{shipment['id']}/buy", {"rate": {"id": rate["id"]}})
        return _label({"id": shipment["id"], **bought}, rate)

    def void_label(self, *, tracking_number, reference):
        answer = self._call(f"/shipments/{reference}/refund")
        if answer.get("refund_status") == "rejected":
            raise CarrierRefused(f"EasyPost rejected the refund of label {tracking_number}.", code="refund_rejected")

    def tracking_events(self, *, headers, body):
        secret = settings.OMS_EASYPOST_WEBHOOK_SECRET
        if not secret:
            raise BadSignature("No webhook secret is configured for this carrier.")
        key = unicodedata.normalize("NFKD", secret).encode()
        expected = "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get(SIGNATURE_HEADER, "")):
            raise BadSignature("Signature does not match.")
        try:
            event = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise InvalidTrackingEvent("The body is not valid JSON.") from None
        if not isinstance(event, dict) or event.get("description") != "tracker.updated":
            return None
        tracker = event.get("result")
        if not isinstance(tracker, dict):
            raise InvalidTrackingEvent("A tracker.updated event carries its tracker in result.")
        events = []
        details = tracker.get("tracking_details")
        for detail in details if isinstance(details, list) else []:
            if not isinstance(detail, dict) or detail.get("status") not in STATUSES:
                continue
            place = detail.get("tracking_location") or {}
            where = (place.get(k) for k in ("city", "state", "country")) if isinstance(place, dict) else ()
            events.append(
                {
                    "event_id": f"{tracker.get('id')}:{detail.get('datetime')}:{detail.get('status')}",
                    "tracking_number": tracker.get("tracking_code"),
                    "status": STATUSES[detail["status"]],
                    "occurred_at": detail.get("datetime"),
                    "location": ", ".join(str(p) for p in where if p),
                    "description": detail.get("message") or "",
                }
            )
        return events or None

    def validate_address(self, address):
        answer = self._call("/addresses", {"address": _address(address), "verify": True})
        delivery = (answer.get("verifications") or {}).get("delivery") or {}
        messages = tuple(str(e.get("message", "")) for e in delivery.get("errors") or [] if isinstance(e, dict))
        return AddressCheck(bool(delivery.get("success")), messages)
