"""Shipping use cases: quotes, delivery dates, shipments, labels and tracking events."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from inventory.models import Product, Warehouse
from oms import outbox
from oms.exceptions import ConflictError, InvalidInput
from oms.money import quantize
from oms.provider_http import ProviderUnreachable
from shipping.carriers import ShipAddress, carrier_get, ship_address, ship_from_address
from shipping.exceptions import CarrierRefused, InvalidTrackingEvent, UnknownCarrier, UnknownShipment
from shipping.models import QualityCheck, QualityCheckLine, Shipment, ShippingMethod, TrackingEvent

# Labels asked for when the carrier's tracking number is already taken by another shipment.
LABEL_ATTEMPTS = 5
# Shipment status only moves forward; an exception can happen at any point and is left by a later event.
_RANK = {
    "cancelled": -1,
    "label_pending": 0,
    "label_created": 1,
    "in_transit": 2,
    "exception": 2,
    "out_for_delivery": 3,
    "delivered": 4,
}


@dataclass(frozen=True)
class Quote:
    method: ShippingMethod
    price: Decimal


def shipping_quote(*, method: ShippingMethod, weight_kg: Decimal) -> Quote:
    carrier = carrier_get(method.carrier)
    return Quote(method, carrier.rate(flat_fee=method.flat_fee, per_kg=method.per_kg, weight_kg=weight_kg))


def add_business_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def delivery_dates(*, placed_at: datetime, transit_days: int) -> tuple[date, date]:
    """(promised ship-by date, estimated delivery date), counting business days."""
    ship_by = add_business_days(timezone.localdate(placed_at), settings.OMS_HANDLING_DAYS)
    return ship_by, add_business_days(ship_by, transit_days)


@dataclass(frozen=True)
class Parcel:
    warehouse_id: int
    weight_kg: Decimal
    contents: list[dict]


@dataclass(frozen=True)
class RateOption:
    """One way to send all the parcels: a shipping method and one service of its carrier, summed over parcels.

    ``key`` is what a form sends back: the method code, then ``:`` and the carrier's service when it has
    several (``ep-ground:USPS:Priority``).
    """

    method: ShippingMethod
    service: str
    price: Decimal
    currency: str
    delivery_date: date | None
    meets_promise: bool

    @property
    def key(self) -> str:
        return f"{self.method.code}:{self.service}" if self.service else self.method.code

    @property
    def label(self) -> str:
        return f"{self.method.name} · {self.service.replace(':', ' ')}" if self.service else self.method.name


@dataclass(frozen=True)
class RateShop:
    options: list[RateOption]  # cheapest first
    default: RateOption | None
    problems: list[str]  # carriers that could not quote, told beside the rates

    def get(self, key: str) -> RateOption | None:
        return next((o for o in self.options if o.key == key), None)


def rates_shop(
    *,
    methods: list[ShippingMethod],
    weights_kg: list[Decimal],
    to_address: ShipAddress,
    promised_by: date | None,
    ship_on: date | None = None,
) -> RateShop:
    """Quotes from every method's carrier and service for the parcels (``weights_kg``), cheapest first.

    The default is the cheapest that still delivers by ``promised_by``; when none does (or no date was
    promised and none is known), the one delivering first. A carrier that cannot quote is left out and named
    in ``problems``, so one carrier's outage never hides the others.
    """
    ship_on = ship_on or timezone.localdate()
    from_address = ship_from_address()
    weights = [w for w in weights_kg if w and w > 0] or [Decimal("0.1")]
    options: list[RateOption] = []
    problems: list[str] = []
    for method in methods:
        per_service: dict[str, list] = {}
        try:
            carrier = carrier_get(method.carrier)
            for weight in weights:
                quotes = carrier.quote(
                    method=method, weight_kg=weight, to_address=to_address, from_address=from_address
                )
                for rate in quotes:
                    per_service.setdefault(rate.service, []).append(rate)
        except (ProviderUnreachable, CarrierRefused, UnknownCarrier) as exc:
            problems.append(f"{method.name}: no quote ({exc}).")
            continue
        for service, rates in per_service.items():
            if len(rates) != len(weights):  # a service that would not take every parcel
                continue
            days = [r.delivery_days for r in rates]
            delivery = None if None in days else add_business_days(ship_on, max(days))
            options.append(
                RateOption(
                    method=method,
                    service=service,
                    price=quantize(sum((r.price for r in rates), Decimal("0"))),
                    currency=rates[0].currency,
                    delivery_date=delivery,
                    meets_promise=promised_by is None or (delivery is not None and delivery <= promised_by),
                )
            )
    options.sort(key=lambda o: (o.price, o.delivery_date or date.max, o.key))
    on_time = [o for o in options if o.meets_promise]
    if on_time:
        default = on_time[0]
    else:
        default = min(options, key=lambda o: (o.delivery_date or date.max, o.price, o.key), default=None)
    return RateShop(options, default, problems)


def shipments_create(
    *, order_id: int, carrier: str, service: str, parcels: list[Parcel], rate: RateOption | None = None
) -> list[Shipment]:
    """Shipments waiting for their label, with the rate chosen; the caller enqueues the label request."""
    carrier_get(carrier)
    # Shipped without a quote chosen (the order page's ship): the method's own restriction, if any.
    restriction = ShippingMethod.objects.filter(code=service).values_list("carrier_service", flat=True).first()
    chosen = {"carrier_service": restriction or ""}
    if rate is not None:
        # The option's price is for all the parcels: each shipment records its share, the first the rest.
        share = quantize(rate.price / len(parcels)) if parcels else rate.price
        chosen = {
            "carrier_service": rate.service,
            "rate_currency": rate.currency,
            "estimated_delivery_date": rate.delivery_date,
        }
    shipments = [
        Shipment(
            order_id=order_id,
            warehouse_id=p.warehouse_id,
            carrier=carrier,
            service=service,
            weight_kg=quantize(p.weight_kg) if p.weight_kg else 0,
            contents=p.contents,
            **chosen,
        )
        for p in parcels
    ]
    if rate is not None:
        for n, shipment in enumerate(shipments):
            shipment.rate_amount = rate.price - share * (len(shipments) - 1) if n == 0 else share
    return Shipment.objects.bulk_create(shipments)


def shipment_create_label(*, shipment_id: int) -> Shipment:
    """Buy the label from the carrier. Safe to run twice: a shipment keeps its first label.

    A shipment cancelled before its label was bought gets none.
    """
    shipment = Shipment.objects.select_related("order__shipping_address").get(pk=shipment_id)
    if shipment.tracking_number or shipment.status == Shipment.Status.CANCELLED:
        return shipment
    carrier = carrier_get(shipment.carrier)
    to_address, from_address = ship_address(shipment.order.shipping_address), ship_from_address()
    if not shipment.carrier_reference:
        reference = carrier.prepare_label(
            weight_kg=shipment.weight_kg, to_address=to_address, from_address=from_address
        )
        if reference:
            Shipment.objects.filter(pk=shipment.pk, carrier_reference="").update(carrier_reference=reference[:100])
            shipment.refresh_from_db(fields=["carrier_reference"])
    for attempt in range(1, LABEL_ATTEMPTS + 1):
        label = carrier.buy_label(
            shipment_key=f"shipment-{shipment.pk}",
            service=shipment.service,
            carrier_service=shipment.carrier_service,
            weight_kg=shipment.weight_kg,
            to_address=to_address,
            from_address=from_address,
            reference=shipment.carrier_reference,
        )
        try:
            with transaction.atomic():
                Shipment.objects.filter(pk=shipment.pk, tracking_number=None).update(
                    tracking_number=label.tracking_number,
                    label=label.label,
                    label_url=label.label_url[:500],
                    carrier_reference=label.reference[:100],
                    status=Shipment.Status.LABEL_CREATED,
                )
            break
        except IntegrityError:
            # Tracking numbers are random: one can repeat an earlier shipment's. Ask for another label.
            if attempt == LABEL_ATTEMPTS:
                raise
    shipment.refresh_from_db()
    return shipment


def _parse_event(payload: object) -> dict:
    if not isinstance(payload, dict):
        raise InvalidTrackingEvent("The body must be a JSON object.")
    errors: dict[str, list[str]] = {}
    tracking_number = payload.get("tracking_number")
    if not isinstance(tracking_number, str) or not tracking_number:
        errors["tracking_number"] = ["This field is required."]
    status = payload.get("status")
    if status not in TrackingEvent.Status.values:
        errors["status"] = [f"Must be one of: {', '.join(TrackingEvent.Status.values)}."]
    occurred_raw = payload.get("occurred_at", payload.get("timestamp"))
    try:
        occurred_at = parse_datetime(occurred_raw) if isinstance(occurred_raw, str) else None
    except ValueError:  # well formed but impossible, e.g. 30 February
        occurred_at = None
    if occurred_raw is not None and occurred_at is None:
        errors["occurred_at"] = ["Must be an ISO 8601 date-time."]
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at, UTC)
    for name in ("tracking_number", "event_id", "location", "description"):
        if "\x00" in str(payload.get(name) or ""):  # PostgreSQL cannot store NUL in text
            errors[name] = ["Null characters are not allowed."]
    if errors:
        raise InvalidTrackingEvent("Invalid tracking event.", fields=errors)
    occurred_at = occurred_at or timezone.now()
    # Without an id, the same status at the same (or no) time is taken as a resend of one event.
    event_id = payload.get("event_id") or payload.get("id") or f"{tracking_number}:{status}:{occurred_raw or ''}"
    event_id = str(event_id)[:100]
    return {
        "tracking_number": tracking_number,
        "status": status,
        "occurred_at": occurred_at,
        "event_id": event_id,
        "location": str(payload.get("location") or "")[:200],
        "description": str(payload.get("description") or "")[:500],
    }


@transaction.atomic
def tracking_event_record(*, carrier: str, payload: object) -> tuple[Shipment, bool]:
    """Store a carrier event and move the shipment on; returns (shipment, whether the event was new)."""
    carrier_get(carrier)
    data = _parse_event(payload)
    shipment = (
        Shipment.objects.select_for_update().filter(carrier=carrier, tracking_number=data["tracking_number"]).first()
    )
    if shipment is None:
        raise UnknownShipment(f"No {carrier} shipment with tracking number {data['tracking_number']}.")
    try:
        with transaction.atomic():
            TrackingEvent.objects.create(
                shipment=shipment,
                event_id=data["event_id"],
                status=data["status"],
                occurred_at=data["occurred_at"],
                location=data["location"],
                description=data["description"],
            )
    except IntegrityError:
        return shipment, False
    new_status = data["status"]
    if shipment.status not in (Shipment.Status.DELIVERED, Shipment.Status.CANCELLED) and (
        _RANK[new_status] >= _RANK[shipment.status] or shipment.status == Shipment.Status.EXCEPTION
    ):
        shipment.status = new_status
        if new_status == Shipment.Status.DELIVERED:
            shipment.delivered_at = data["occurred_at"]
        shipment.save(update_fields=["status", "delivered_at"])
    return shipment, True


# --- quality control before shipping -------------------------------------------------------------------------
# Checks a product may name that the inspector records as a value, not a tick.
QC_RECORDS = ("serial", "lot", "expiry")


@dataclass(frozen=True)
class QcPick:
    """One picked part of an order line: which stock row it came from and how many."""

    warehouse_id: int
    stock_item_id: int
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class QcLineResult:
    """What the inspector found on one line: check name → passed, and the recorded values."""

    checks: dict[str, bool]
    serial: str = ""
    lot: str = ""
    expiry: date | None = None
    note: str = ""


def _qc_plan(picks: list[QcPick]) -> list[tuple[QcPick, list[str], list[str]]]:
    """The picks that need a check, each with its tick-box checks and the values to record."""
    products = {p.sku: p for p in Product.objects.filter(sku__in={p.sku for p in picks}, requires_qc=True)}
    strict = set(
        Warehouse.objects.filter(pk__in={p.warehouse_id for p in picks}, requires_qc=True).values_list("pk", flat=True)
    )
    plan = []
    for pick in picks:
        product = products.get(pick.sku)
        if product is None and pick.warehouse_id not in strict:
            continue
        extra = [str(c) for c in (product.qc_checks if product else []) if str(c).strip()]
        ticks = list(dict.fromkeys([*settings.OMS_QC_DEFAULT_CHECKS, *(c for c in extra if c not in QC_RECORDS)]))
        plan.append((pick, ticks, [c for c in QC_RECORDS if c in extra]))
    return plan


def quality_check_needed(*, picks: list[QcPick]) -> bool:
    """True when a product picked or a warehouse it leaves from requires a quality check."""
    return bool(_qc_plan(picks))


def quality_check_open(*, order_id: int, picks: list[QcPick], packing: dict, actor: str) -> QualityCheck | None:
    """Keep the packing of an order that needs a check, with one line per pick to check; None if none does."""
    plan = _qc_plan(picks)
    if not plan:
        return None
    check = QualityCheck.objects.create(order_id=order_id, packing=packing, packed_by=actor[:150])
    QualityCheckLine.objects.bulk_create(
        QualityCheckLine(
            check_run=check,
            warehouse_id=pick.warehouse_id,
            stock_item_id=pick.stock_item_id,
            sku=pick.sku,
            name=pick.name[:200],
            quantity=pick.quantity,
            checks=[{"name": name, "passed": None} for name in ticks],
            records=records,
        )
        for pick, ticks, records in plan
    )
    return check


def quality_check_record(
    *, check: QualityCheck, inspector: str, results: dict[int, QcLineResult], on_fail: str, notes: str = ""
) -> QualityCheck:
    """Record the inspector's findings on a pending (locked) check: passed when every line passes.

    A line fails when a check is not ticked or a recorded expiry date has passed. A line that passes must
    have its serial / lot / expiry recorded where the product asks for them. Bad input raises
    ``InvalidInput`` naming ``lines.<id>``, ``lines.<id>.<record>`` or ``on_fail``, and writes nothing.
    """
    lines = list(check.lines.all())
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    for line in lines:
        result = results.get(line.pk)
        if result is None:
            errors[f"lines.{line.pk}"] = [f"Check {line.sku}."]
            continue
        line.checks = [{"name": c["name"], "passed": bool(result.checks.get(c["name"]))} for c in line.checks]
        line.serial, line.lot, line.expiry = result.serial.strip()[:100], result.lot.strip()[:100], result.expiry
        line.note = result.note.strip()[:300]
        expired = "expiry" in line.records and line.expiry is not None and line.expiry < today
        line.passed = all(c["passed"] for c in line.checks) and not expired
        if expired and not line.note:
            line.note = f"Expired on {line.expiry:%d %b %Y}."
        if line.passed:
            for record in line.records:
                if not (line.expiry if record == "expiry" else getattr(line, record)):
                    errors[f"lines.{line.pk}.{record}"] = [f"Record the {record} of {line.sku}."]
    passed = all(line.passed for line in lines)
    if not passed and on_fail not in QualityCheck.OnFail.values:
        errors["on_fail"] = ["Say what happens to a failed check: re-pick or hold."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], code="quality_check_incomplete", fields=errors)
    QualityCheckLine.objects.bulk_update(lines, ["checks", "serial", "lot", "expiry", "note", "passed"])
    check.status = QualityCheck.Status.PASSED if passed else QualityCheck.Status.FAILED
    check.on_fail = "" if passed else on_fail
    check.inspector = inspector[:150]
    check.checked_at = timezone.now()
    check.notes = notes.strip()[:500]
    check.save(update_fields=["status", "on_fail", "inspector", "checked_at", "notes"])
    return check


def quality_check_parcels(check: QualityCheck) -> list[Parcel]:
    """The parcels as packed before the check, to ship them as they are."""
    return [
        Parcel(p["warehouse_id"], Decimal(p["weight_kg"]) if p.get("weight_kg") is not None else None, p["contents"])
        for p in check.packing.get("parcels", [])
    ]


@transaction.atomic
def shipment_cancel(*, shipment_id: int) -> Shipment:
    """The parcel will not go: the shipment is cancelled and its label, if bought, voided after commit.

    Raises ConflictError once the carrier has it (in transit or later). Cancelling twice changes nothing.
    """
    shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
    if shipment.status == Shipment.Status.CANCELLED:
        return shipment
    if shipment.status not in (Shipment.Status.LABEL_PENDING, Shipment.Status.LABEL_CREATED):
        raise ConflictError(
            f"The parcel is {shipment.get_status_display().lower()}: the carrier has it already.",
            code="shipment_moving",
        )
    shipment.status = Shipment.Status.CANCELLED
    shipment.save(update_fields=["status"])
    if shipment.tracking_number:
        shipment_void_label_enqueue(shipment=shipment)
    return shipment


def shipment_void_label_enqueue(*, shipment: Shipment) -> None:
    """Ask (once, after commit) for the label's postage back."""
    outbox.enqueue(
        "shipping.tasks.void_shipment_label_task",
        queue="carriers",
        dedupe_key=f"shipment-{shipment.pk}-void-label",
        shipment_id=shipment.pk,
    )


def shipment_void_label(*, shipment_id: int) -> Shipment:
    """Void the label at the carrier, once: a shipment whose label is voided (or never bought) is left alone.

    The remote call runs outside any transaction; ProviderUnreachable is for the task to retry.
    """
    shipment = Shipment.objects.get(pk=shipment_id)
    if shipment.label_voided_at or not shipment.tracking_number:
        return shipment
    carrier_get(shipment.carrier).void_label(
        tracking_number=shipment.tracking_number, reference=shipment.carrier_reference
    )
    Shipment.objects.filter(pk=shipment.pk, label_voided_at=None).update(label_voided_at=timezone.now())
    shipment.refresh_from_db()
    return shipment
