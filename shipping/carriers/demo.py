"""The built-in demo carrier: the method's tariff, one service, random tracking numbers, signed webhooks."""

import json
import secrets

from django.conf import settings

from shipping.carriers import AddressCheck, Carrier, Label, Rate, verify_signature
from shipping.exceptions import InvalidTrackingEvent

SIGNATURE_HEADER = "X-OMS-Signature"


class DemoCarrier(Carrier):
    code = "demo"
    name = "Demo Parcel"

    def quote(self, *, method, weight_kg, to_address, from_address):
        price = self.rate(flat_fee=method.flat_fee, per_kg=method.per_kg, weight_kg=weight_kg)
        return [Rate(service="", price=price, currency=settings.OMS_CURRENCY, delivery_days=method.transit_days)]

    def buy_label(self, *, shipment_key, service, carrier_service, weight_kg, to_address, from_address, reference=""):
        # Random, so nobody can work out another customer's tracking number from an id or the pattern.
        # A retried call may get another number: the shipment keeps the first one stored.
        tracking = f"DMO{secrets.randbelow(10**12):012d}"
        label = f"DEMO PARCEL — {service.upper()}\nTRACKING {tracking}\nWEIGHT {weight_kg} kg\nTO {to_address}\n"
        return Label(tracking, label)

    def void_label(self, *, tracking_number, reference):
        return None  # nothing was paid for

    def tracking_events(self, *, headers, body):
        secret = settings.DEMO_CARRIER_WEBHOOK_SECRET
        verify_signature(secret=secret, header=headers.get(SIGNATURE_HEADER, ""), body=body)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise InvalidTrackingEvent("The body is not valid JSON.") from None
        if isinstance(payload, dict) and isinstance(payload.get("events"), list):
            payload = payload["events"]
        return payload

    def validate_address(self, address):
        missing = [label for label, value in (("street", address.street1), ("city", address.city)) if not value]
        if len(address.country) != 2:
            missing.append("country")
        return AddressCheck(not missing, tuple(f"The {name} is missing." for name in missing))
