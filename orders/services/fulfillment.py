"""Packing and shipping an order as the warehouse does it: every line confirmed, parcels weighed, a rate chosen.

The ship transition itself (stock leaves, shipments are created, labels are bought after commit) lives in
``orders.services.lifecycle._ship``; this module checks that what the packer says is in the parcels is
exactly what is left to ship, records the packing on the timeline and then hands over.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django_fsm import can_proceed

from oms.exceptions import InvalidInput
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import LineAllocation, Order
from orders.services.common import event_record, order_lock
from orders.services.lifecycle import _ship
from shipping.selectors import quality_check_pending_for_order, shipping_method_get
from shipping.services import Parcel, QcPick, RateOption, quality_check_open

# Heavier than this is freight, not a parcel: the demo carrier (like most parcel services) stops at 70 kg.
MAX_PARCEL_KG = Decimal("70")


@dataclass(frozen=True)
class ParcelInput:
    """One box as packed: the warehouse it leaves from, its weight on the scale, and SKU → quantity inside."""

    warehouse_id: int
    weight_kg: Decimal | None
    contents: Mapping[str, int] = field(default_factory=dict)


def order_pack_and_ship(
    *,
    order_id: int,
    user,
    parcels: list[ParcelInput],
    service: str,
    packed: Collection[int],
    reason: str = "",
    rate: RateOption | None = None,
) -> Order:
    """Ship an order in fulfillment in the parcels the packer made, by the shipping method ``service``.

    ``packed`` holds the ids of the allocation lines the packer ticked: every line still to ship must be
    among them, and the parcels' contents must add up, per warehouse and SKU, to exactly what is left to
    ship now (reserved and not shipped yet: for an order that ships in parts, what is in stock; the rest
    ships later, see ``orders.services.shipments``).
    Anything else raises ``InvalidInput`` whose ``fields`` name each problem (``packed.<allocation>``,
    ``parcels.<n>.weight_kg``, ``parcels.<n>.contents``, ``contents.<warehouse>.<sku>``, ``service``) and
    writes nothing. ``service`` may differ from the customer's choice: the warehouse upgrades a late order.

    ``service`` is a shipping method code, or a rate's key (``<method>:<carrier service>``) when the
    method's carrier offers several services; ``rate`` is the quote the packer chose (rate shopping), recorded
    on the shipments with its price and delivery estimate.
    """
    actor = getattr(user, "username", str(user))
    with transaction.atomic():
        order = order_lock(order_id=order_id, nowait=True)
        if not user.has_perm("orders.ship_order"):
            raise TransitionForbidden("You do not have permission to ship orders.")
        if not can_proceed(order.ship):
            raise TransitionNotAvailable(f"Cannot ship an order that is {order.get_status_display().lower()}.")
        if quality_check_pending_for_order(order_id=order.pk) is not None:
            raise TransitionNotAvailable(f"Order {order.number} is packed and waits for its quality check.")
        allocations = list(
            LineAllocation.objects.filter(line__order=order, is_released=False, is_shipped=False)
            .select_related("line", "warehouse")
            .order_by("warehouse__priority", "warehouse__code", "line__sku", "pk")
        )
        if not allocations:
            raise TransitionNotAvailable(
                f"Nothing of order {order.number} is ready to ship: what is left waits for stock."
            )
        code = service.partition(":")[0] if isinstance(service, str) and "\x00" not in service else ""
        method = shipping_method_get(code=code) if code else None
        if rate is not None and (method is None or rate.key != service or rate.method.code != method.code):
            rate = None  # a quote for something else than what was chosen is not recorded
        errors = _packing_errors(allocations=allocations, parcels=parcels, packed=set(packed))
        if method is None:
            errors["service"] = ["Choose one of the active shipping methods."]
        if errors:
            first = next(iter(errors.values()))[0]
            raise InvalidInput(
                f"The packing does not match what is to ship: {first}", code="packing_mismatch", fields=errors
            )
        codes = {a.warehouse_id: a.warehouse.code for a in allocations}
        ready = [
            Parcel(
                p.warehouse_id, _weight(p.weight_kg), [{"sku": s, "quantity": q} for s, q in p.contents.items() if q]
            )
            for p in parcels
        ]
        event_record(order=order, actor=actor, note=_packing_note(ready, codes=codes, method_name=method.name))
        chosen = f"{rate.label} at {rate.currency} {rate.price}" if rate is not None else method.name
        note = reason.strip() or f"{len(ready)} parcel(s) by {chosen}"
        picks = [QcPick(a.warehouse_id, a.stock_item_id, a.line.sku, a.line.name, a.quantity) for a in allocations]
        packing = {
            "service": method.code,
            "reason": note,
            "rate": rate_packed(rate),
            "parcels": [
                {"warehouse_id": p.warehouse_id, "weight_kg": str(p.weight_kg), "contents": p.contents} for p in ready
            ],
        }
        if quality_check_open(order_id=order.pk, picks=picks, packing=packing, actor=actor) is not None:
            event_record(order=order, actor=actor, note="Packed: waiting for its quality check before shipping.")
            return order
        return _ship(order, actor=actor, reason=note, parcels=ready, service=method.code, rate=rate)


def _weight(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        weight = Decimal(str(value))
    except InvalidOperation:
        return None
    return weight if weight.is_finite() else None


def _packing_errors(
    *, allocations: list[LineAllocation], parcels: list[ParcelInput], packed: set[int]
) -> dict[str, list[str]]:
    """Every way the packing differs from what is left to ship, keyed by the field it concerns."""
    errors: dict[str, list[str]] = {}
    expected: dict[tuple[int, str], int] = defaultdict(int)
    codes: dict[int, str] = {}
    for allocation in allocations:
        expected[(allocation.warehouse_id, allocation.line.sku)] += allocation.quantity
        codes[allocation.warehouse_id] = allocation.warehouse.code
        if allocation.pk not in packed:
            errors[f"packed.{allocation.pk}"] = [
                f"Confirm that {allocation.quantity} × {allocation.line.sku} from {allocation.warehouse.code} "
                "is packed."
            ]
    if allocations and not parcels:
        errors["parcels"] = ["Add at least one parcel."]
    in_parcels: dict[tuple[int, str], int] = defaultdict(int)
    for n, parcel in enumerate(parcels):
        if parcel.warehouse_id not in codes:
            errors[f"parcels.{n}.warehouse"] = ["Nothing of this order is left to ship from that warehouse."]
            continue
        code = codes[parcel.warehouse_id]
        weight = _weight(parcel.weight_kg)
        if weight is None:
            errors[f"parcels.{n}.weight_kg"] = ["Enter the parcel's weight in kg."]
        elif weight <= 0:
            errors[f"parcels.{n}.weight_kg"] = ["The weight must be more than 0 kg."]
        elif weight > MAX_PARCEL_KG:
            errors[f"parcels.{n}.weight_kg"] = [f"A parcel may weigh at most {MAX_PARCEL_KG} kg: split it."]
        elif weight.as_tuple().exponent < -3:
            errors[f"parcels.{n}.weight_kg"] = ["Give the weight to the gram (at most 3 decimals)."]
        problems = []
        units = 0
        for sku, quantity in parcel.contents.items():
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
                problems.append(f"The quantity of {sku} must be a whole number, 0 or more.")
                continue
            if quantity and (parcel.warehouse_id, sku) not in expected:
                problems.append(f"{sku} is not to ship from {code}.")
                continue
            in_parcels[(parcel.warehouse_id, sku)] += quantity
            units += quantity
        if not problems and units == 0:
            problems.append("This parcel is empty: put something in it or remove it.")
        if problems:
            errors[f"parcels.{n}.contents"] = problems
    for key in sorted(set(expected) | set(in_parcels), key=lambda k: (codes.get(k[0], ""), k[1])):
        want, got = expected.get(key, 0), in_parcels.get(key, 0)
        if want != got and key in expected:
            warehouse, sku = codes[key[0]], key[1]
            errors[f"contents.{warehouse}.{sku}"] = [f"{sku} from {warehouse}: the parcels hold {got}, {want} to ship."]
    return errors


def _packing_note(parcels: list[Parcel], *, codes: dict[int, str], method_name: str) -> str:
    """The timeline entry: what went in which box and how heavy it was."""
    count: dict[int, int] = defaultdict(int)
    parts = []
    for parcel in parcels:
        count[parcel.warehouse_id] += 1
        contents = ", ".join(f"{c['sku']} × {c['quantity']}" for c in parcel.contents)
        parts.append(f"{codes[parcel.warehouse_id]} #{count[parcel.warehouse_id]} {parcel.weight_kg} kg ({contents})")
    return f"Packed {len(parcels)} parcel(s) for {method_name}: " + "; ".join(parts)


def rate_packed(rate: RateOption | None) -> dict | None:
    """The chosen quote as the packing of an order waiting for its quality check keeps it (JSON)."""
    if rate is None:
        return None
    return {
        "service": rate.service,
        "price": str(rate.price),
        "currency": rate.currency,
        "delivery_date": rate.delivery_date.isoformat() if rate.delivery_date else None,
        "meets_promise": rate.meets_promise,
    }


def rate_unpacked(packing: dict) -> RateOption | None:
    """The quote chosen at packing, back from the packing kept for the quality check."""
    kept = packing.get("rate")
    method = shipping_method_get(code=packing.get("service") or "") if kept else None
    if method is None:
        return None
    delivery = kept.get("delivery_date")
    return RateOption(
        method=method,
        service=kept.get("service", ""),
        price=Decimal(kept["price"]),
        currency=kept["currency"],
        delivery_date=date.fromisoformat(delivery) if delivery else None,
        meets_promise=bool(kept.get("meets_promise")),
    )
