"""Carrier adapters behind one small interface, chosen per shipping method (``ShippingMethod.carrier``).

Each adapter quotes rates, buys and voids labels, reads its own tracking webhooks and checks addresses:

- ``demo`` (:mod:`shipping.carriers.demo`): built in; prices by the method's tariff, issues tracking
  numbers and sends tracking events to ``POST /api/v1/shipping/webhooks/demo/`` (``manage.py
  simulate_carrier``), signed with ``X-OMS-Signature``.
- ``easypost`` (:mod:`shipping.carriers.easypost`): EasyPost's REST API v2, a multi-carrier shipping API
  (USPS, UPS, FedEx, DHL, ...); its tracker webhooks come to ``POST /api/v1/shipping/webhooks/easypost/``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from oms.signatures import timestamped_sign, timestamped_verify
from shipping.exceptions import BadSignature, UnknownCarrier


@dataclass(frozen=True)
class ShipAddress:
    """An address as carriers want it (EasyPost's field names)."""

    name: str = ""
    street1: str = ""
    street2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""
    lines: tuple[str, ...] = ()  # as printed in the destination country's order, when known

    def __str__(self) -> str:
        parts = self.lines or (self.name, self.street1, self.street2, self.city, self.state, self.zip, self.country)
        return ", ".join(p for p in parts if p)


def ship_address(address) -> ShipAddress:
    """A customer's address (anything with name, line1, line2, city, region, postal_code, country)."""
    return ShipAddress(
        name=address.name,
        street1=address.line1,
        street2=address.line2,
        city=address.city,
        state=address.region,
        zip=address.postal_code,
        country=address.country,
        lines=tuple(address.lines()),
    )


def ship_from_address() -> ShipAddress:
    """The sender (settings ``OMS_SHIP_FROM_*``), the address labels are bought from."""
    return ShipAddress(
        name=settings.OMS_SHIP_FROM_NAME,
        street1=settings.OMS_SHIP_FROM_STREET,
        city=settings.OMS_SHIP_FROM_CITY.split(",")[0].strip(),
        state=settings.OMS_SHIP_FROM_STATE,
        zip=settings.OMS_SHIP_FROM_ZIP,
        country=settings.OMS_SHIP_FROM_COUNTRY,
        phone=settings.OMS_SHIP_FROM_PHONE,
    )


@dataclass(frozen=True)
class Rate:
    """One price for one parcel: ``service`` is the carrier's own ("" for a one-service carrier)."""

    service: str
    price: Decimal
    currency: str
    delivery_days: int | None


@dataclass(frozen=True)
class Label:
    tracking_number: str
    label: str
    label_url: str = ""
    reference: str = ""  # the carrier's id of the bought shipment, needed to void the label


@dataclass(frozen=True)
class AddressCheck:
    valid: bool
    messages: tuple[str, ...] = ()


class Carrier:
    code = ""
    name = ""

    def rate(self, *, flat_fee: Decimal, per_kg: Decimal, weight_kg: Decimal) -> Decimal:
        """What the customer pays at checkout: the shipping method's own tariff."""
        from oms.money import quantize

        return quantize(flat_fee + per_kg * weight_kg)

    def quote(self, *, method, weight_kg: Decimal, to_address: ShipAddress, from_address: ShipAddress) -> list[Rate]:
        """What the shop pays for one parcel of ``weight_kg`` by ``method``, one rate per carrier service."""
        raise NotImplementedError

    def buy_label(
        self,
        *,
        shipment_key: str,
        service: str,
        carrier_service: str,
        weight_kg: Decimal,
        to_address: ShipAddress,
        from_address: ShipAddress,
        reference: str = "",
    ) -> Label:
        """Buy the label: ``service`` is the shipping method's code, ``carrier_service`` the carrier's own
        service chosen at pack & ship (or the method's restriction; "" for the cheapest); ``reference`` is
        what ``prepare_label`` answered, kept by the caller, so a retry buys (or finds) that same label."""
        raise NotImplementedError

    def prepare_label(self, *, weight_kg: Decimal, to_address: ShipAddress, from_address: ShipAddress) -> str:
        """Make the carrier's record of the parcel before anything is paid for; "" when the carrier has none.
        Its id is stored before the purchase, so a run that dies after paying does not pay twice."""
        return ""

    def void_label(self, *, tracking_number: str, reference: str) -> None:
        """Ask for the label's postage back; raises CarrierRefused when the carrier says no."""
        raise NotImplementedError

    def tracking_events(self, *, headers, body: bytes) -> dict | list | None:
        """Check the webhook's signature and read its events (the shape ``tracking_event_record`` takes);
        None for a notification that carries no tracking news. Raises BadSignature or InvalidTrackingEvent."""
        raise NotImplementedError

    def validate_address(self, address: ShipAddress) -> AddressCheck:
        raise NotImplementedError


def sign(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``X-OMS-Signature`` header value: ``t=<unix ts>,v1=<hex HMAC-SHA256 of "ts.body">``."""
    return timestamped_sign(secret=secret, body=body, timestamp=timestamp)


def verify_signature(*, secret: str, header: str, body: bytes, now: float | None = None) -> None:
    """Raise BadSignature unless ``header`` signs ``body`` with ``secret`` within the tolerance window."""
    timestamped_verify(
        secret=secret,
        header=header,
        body=body,
        tolerance=settings.OMS_WEBHOOK_TOLERANCE_SECONDS,
        error=BadSignature,
        header_name="X-OMS-Signature",
        now=now,
    )


def _carriers() -> dict[str, Carrier]:
    from shipping.carriers.demo import DemoCarrier
    from shipping.carriers.easypost import EasyPostCarrier

    return {c.code: c for c in (DemoCarrier(), EasyPostCarrier())}


CARRIERS: dict[str, Carrier] = _carriers()


def carrier_get(code: str) -> Carrier:
    try:
        return CARRIERS[code]
    except KeyError:
        raise UnknownCarrier(f"Unknown carrier '{code}'.") from None
