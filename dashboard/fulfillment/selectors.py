"""Reads for the warehouse: the work list, pick lists, what to pack, and the papers that travel with parcels.

Pick lists and packing work from ``LineAllocation`` (which warehouse serves which part of a line), never
from the lines alone: a line split across two warehouses is picked and packed twice.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dashboard.orders.selectors import late_to_ship
from inventory.models import Warehouse
from oms.exceptions import NotFound
from orders.exceptions import OrderNotFound
from orders.models import LineAllocation, Order, OrderLine, OrderStatus
from shipping.carriers import ship_address
from shipping.models import Shipment, ShippingMethod
from shipping.selectors import carrier_name, shipping_method_list_active
from shipping.services import RateShop, rates_shop

# The warehouse's queue: orders being packed first, then those ready to start.
FULFILLMENT_STATES = (OrderStatus.FULFILLING, OrderStatus.CONFIRMED)
# A priority for orders whose shipping method was deleted since: behind every method that exists.
UNKNOWN_METHOD_PRIORITY = 10_000
# More orders than this on one pick list is a mistake, not a batch: the page would run to dozens of sheets.
PICK_LIST_MAX_ORDERS = 100


# --- the work list ---------------------------------------------------------------------------------------
def order_list_for_fulfillment(*, warehouse_id: int | None = None, status: str | None = None) -> QuerySet[Order]:
    """Orders the warehouse works on, most urgent first: express before standard, then by ship-by date.

    ``warehouse_id`` keeps the orders with stock still allocated in that warehouse; ``status`` narrows to
    one of ``FULFILLMENT_STATES``, or to ``shipped`` orders (whose labels and slips are to print). Each
    order is annotated with ``method_priority``, ``method_name``, ``units`` (items ordered), ``units_shipped``
    (of those, shipped already: an order shipping in parts) and ``units_backordered`` (waiting for stock).
    """
    methods = ShippingMethod.objects.filter(code=OuterRef("shipping_method"))
    units = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    lines = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order")
    shipped = lines.annotate(total=Sum("quantity_shipped")).values("total")
    backordered = lines.annotate(total=Sum("quantity_backordered")).values("total")
    states = [status] if status in (*FULFILLMENT_STATES, OrderStatus.SHIPPED) else list(FULFILLMENT_STATES)
    queryset = Order.objects.filter(status__in=states)
    if warehouse_id is not None:
        queryset = queryset.filter(
            Exists(
                LineAllocation.objects.filter(line__order=OuterRef("pk"), warehouse_id=warehouse_id, is_released=False)
            )
        )
    return (
        queryset.select_related("customer")
        .annotate(
            method_priority=Coalesce(
                Subquery(methods.values("priority")[:1]), Value(UNKNOWN_METHOD_PRIORITY), output_field=IntegerField()
            ),
            method_name=Coalesce(Subquery(methods.values("name")[:1]), F("shipping_method")),
            units=Coalesce(Subquery(units, output_field=IntegerField()), Value(0)),
            units_shipped=Coalesce(Subquery(shipped, output_field=IntegerField()), Value(0)),
            units_backordered=Coalesce(Subquery(backordered, output_field=IntegerField()), Value(0)),
        )
        .order_by("method_priority", F("promised_ship_date").asc(nulls_last=True), "placed_at", "pk")
    )


def _in_fulfillment(*, warehouse_id: int | None = None, status: str | None = None) -> QuerySet[Order]:
    states = [status] if status in FULFILLMENT_STATES else list(FULFILLMENT_STATES)
    queryset = Order.objects.filter(status__in=states)
    if warehouse_id is not None:
        queryset = queryset.filter(
            Exists(
                LineAllocation.objects.filter(line__order=OuterRef("pk"), warehouse_id=warehouse_id, is_released=False)
            )
        )
    return queryset


def order_warehouses(*, order_ids: list[int]) -> dict[int, list[str]]:
    """Codes of the warehouses each order still picks from (one query for a whole page of orders)."""
    rows = (
        LineAllocation.objects.filter(line__order_id__in=order_ids, is_released=False, is_shipped=False)
        .values_list("line__order_id", "warehouse__code", "warehouse__priority")
        .distinct()
    )
    found: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for order_id, code, priority in rows:
        found[order_id].add((priority, code))
    return {order_id: [code for _, code in sorted(codes)] for order_id, codes in found.items()}


@dataclass(frozen=True)
class FulfillmentCounts:
    to_pack: int
    to_start: int
    overdue: int


def fulfillment_counts(*, warehouse_id: int | None = None, today: date | None = None) -> FulfillmentCounts:
    """The figures above the work list: to pack, to start, and past their promised ship date."""
    today = today or timezone.localdate()
    counts = _in_fulfillment(warehouse_id=warehouse_id).aggregate(
        to_pack=Count("pk", filter=Q(status=OrderStatus.FULFILLING)),
        to_start=Count("pk", filter=Q(status=OrderStatus.CONFIRMED)),
        # The desk's Overdue condition (late to ship), so the warehouse and the desk count the same orders.
        overdue=Count("pk", filter=late_to_ship(today)),
    )
    return FulfillmentCounts(**counts)


def warehouse_list_for_filter() -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(is_active=True).order_by("priority", "code")


# --- pick lists ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PickItem:
    sku: str
    name: str
    quantity: int
    bin: str
    order_number: str


@dataclass
class PickWarehouse:
    code: str
    name: str
    items: list[PickItem] = field(default_factory=list)

    @property
    def units(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def order_count(self) -> int:
        return len({item.order_number for item in self.items})


@dataclass
class PickList:
    warehouses: list[PickWarehouse]
    orders: list[Order]
    unknown: list[str]
    nothing_to_pick: list[Order]
    too_many: int = 0

    @property
    def units(self) -> int:
        return sum(w.units for w in self.warehouses)

    @property
    def picked_orders(self) -> list[Order]:
        return [o for o in self.orders if o not in self.nothing_to_pick]

    @property
    def instructions(self) -> list[Order]:
        """The picked orders that carry the customer's special instructions (their ``notes``)."""
        return [o for o in self.picked_orders if o.notes.strip()]


def pick_list_numbers(raw: list[str]) -> list[str]:
    """Order numbers from ``?orders=A,B&orders=C``: trimmed, upper case, each once, in the order given."""
    numbers: list[str] = []
    for value in raw:
        for part in value.split(","):
            number = part.strip().upper()
            if number and "\x00" not in number and len(number) <= 20 and number not in numbers:
                numbers.append(number)
    return numbers


def pick_list_for_orders(*, numbers: list[str]) -> PickList:
    """One pick list for several orders: per warehouse, in bin order, so a picker walks each aisle once.

    Numbers that name no order are reported back rather than refused: a batch with a typo still prints.
    Orders with nothing left to pick (shipped, cancelled) are listed apart.
    """
    too_many = max(0, len(numbers) - PICK_LIST_MAX_ORDERS)
    numbers = numbers[:PICK_LIST_MAX_ORDERS]
    by_number = {o.number: o for o in Order.objects.filter(number__in=numbers)}
    orders = [by_number[n] for n in numbers if n in by_number]
    unknown = [n for n in numbers if n not in by_number]
    allocations = LineAllocation.objects.filter(
        line__order__in=orders, is_released=False, is_shipped=False
    ).select_related("line__order", "warehouse", "stock_item")
    groups: dict[int, PickWarehouse] = {}
    ranks: dict[int, tuple[int, str]] = {}
    picked_orders: set[int] = set()
    for allocation in sorted(
        allocations,
        key=lambda a: (
            a.warehouse.priority,
            a.warehouse.code,
            a.stock_item.bin_location == "",  # no bin yet: at the end, where the picker has to search
            a.stock_item.bin_location,
            a.line.sku,
            a.line.order.number,
        ),
    ):
        warehouse = allocation.warehouse
        group = groups.setdefault(warehouse.pk, PickWarehouse(code=warehouse.code, name=warehouse.name))
        ranks[warehouse.pk] = (warehouse.priority, warehouse.code)
        group.items.append(
            PickItem(
                sku=allocation.line.sku,
                name=allocation.line.name,
                quantity=allocation.quantity,
                bin=allocation.stock_item.bin_location,
                order_number=allocation.line.order.number,
            )
        )
        picked_orders.add(allocation.line.order_id)
    warehouses = [groups[pk] for pk in sorted(groups, key=ranks.__getitem__)]
    return PickList(
        warehouses=warehouses,
        orders=orders,
        unknown=unknown,
        nothing_to_pick=[o for o in orders if o.pk not in picked_orders],
        too_many=too_many,
    )


# --- packing ---------------------------------------------------------------------------------------------
def order_get_for_fulfillment(*, number: str) -> Order:
    """The order a packer works on, with what the pack page shows beside the lines."""
    order = None
    if "\x00" not in number:
        order = (
            Order.objects.select_related("customer", "shipping_address")
            .annotate(
                method_name=Coalesce(
                    Subquery(ShippingMethod.objects.filter(code=OuterRef("shipping_method")).values("name")[:1]),
                    F("shipping_method"),
                )
            )
            .filter(number=number.upper())
            .first()
        )
    if order is None:
        raise OrderNotFound(f"No order {number}.")
    return order


@dataclass(frozen=True)
class PackLine:
    allocation_id: int
    sku: str
    name: str
    quantity: int
    bin: str
    unit_weight_kg: Decimal

    @property
    def weight_kg(self) -> Decimal:
        return self.unit_weight_kg * self.quantity


@dataclass
class PackWarehouse:
    id: int
    code: str
    name: str
    lines: list[PackLine] = field(default_factory=list)

    @property
    def weight_kg(self) -> Decimal:
        return sum((line.weight_kg for line in self.lines), Decimal("0"))

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


def pack_plan_for_order(*, order_id: int) -> list[PackWarehouse]:
    """What still has to leave, per warehouse (in priority order), each line in bin order."""
    allocations = (
        LineAllocation.objects.filter(line__order_id=order_id, is_released=False, is_shipped=False)
        .select_related("line", "warehouse", "stock_item")
        .order_by("warehouse__priority", "warehouse__code", "stock_item__bin_location", "line__sku", "pk")
    )
    plan: dict[int, PackWarehouse] = {}
    for allocation in allocations:
        warehouse = allocation.warehouse
        group = plan.setdefault(warehouse.pk, PackWarehouse(id=warehouse.pk, code=warehouse.code, name=warehouse.name))
        group.lines.append(
            PackLine(
                allocation_id=allocation.pk,
                sku=allocation.line.sku,
                name=allocation.line.name,
                quantity=allocation.quantity,
                bin=allocation.stock_item.bin_location,
                unit_weight_kg=allocation.line.weight_kg,
            )
        )
    return list(plan.values())


@dataclass(frozen=True)
class LineProgress:
    """One line of an order as the packer sees it: what shipped, what can ship now, what waits for stock."""

    sku: str
    name: str
    quantity: int
    shipped: int
    ship_now: int
    backordered: int


def line_progress_for_order(*, order_id: int) -> list[LineProgress]:
    """Per line: units shipped, reserved and not shipped yet (can ship now), and backordered."""
    return [
        LineProgress(
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            shipped=line.quantity_shipped,
            ship_now=max(line.quantity_reserved - line.quantity_shipped, 0),
            backordered=line.quantity_backordered,
        )
        for line in OrderLine.objects.filter(order_id=order_id).order_by("pk")
    ]


def rate_shop_for_order(*, order: Order, weights_kg: list[Decimal]) -> RateShop:
    """Every active method's carrier quoting every service for the parcels, cheapest first, and the default:
    the cheapest that still delivers by the date promised to the customer."""
    return rates_shop(
        methods=list(shipping_method_list_active()),
        weights_kg=weights_kg,
        to_address=ship_address(order.shipping_address),
        promised_by=order.estimated_delivery_date,
    )


# --- shipments and their papers --------------------------------------------------------------------------
@dataclass(frozen=True)
class ParcelItem:
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class ShipmentRow:
    """A shipment as pages and printed papers show it: parcel ``index`` of ``count``, contents named."""

    shipment: Shipment
    index: int
    count: int
    items: list[ParcelItem]
    carrier_name: str
    service_name: str

    @property
    def has_label(self) -> bool:
        return bool(self.shipment.tracking_number)


def _row(shipment: Shipment, *, index: int, count: int, names: dict[str, str], services: dict[str, str]) -> ShipmentRow:
    return ShipmentRow(
        shipment=shipment,
        index=index,
        count=count,
        items=[
            ParcelItem(sku=str(c.get("sku", "")), name=names.get(c.get("sku"), ""), quantity=int(c.get("quantity", 0)))
            for c in shipment.contents
            if isinstance(c, dict)
        ],
        carrier_name=carrier_name(code=shipment.carrier),
        service_name=services.get(shipment.service, shipment.service),
    )


def _names(order_id: int, shipments: list[Shipment]) -> tuple[dict[str, str], dict[str, str]]:
    """Product names by SKU (from the order's lines) and shipping method names by code."""
    names = dict(OrderLine.objects.filter(order_id=order_id).values_list("sku", "name"))
    services = dict(ShippingMethod.objects.filter(code__in={s.service for s in shipments}).values_list("code", "name"))
    return names, services


def shipment_list_for_fulfillment(*, order: Order) -> list[ShipmentRow]:
    """The order's parcels with their tracking numbers (None while the label is being bought)."""
    shipments = list(Shipment.objects.filter(order=order).select_related("warehouse").order_by("pk"))
    names, services = _names(order.pk, shipments)
    return [
        _row(s, index=i, count=len(shipments), names=names, services=services) for i, s in enumerate(shipments, start=1)
    ]


def shipment_get_for_documents(*, pk: int) -> ShipmentRow:
    """One parcel with everything its label and packing slip print: order, addresses, contents, n of m."""
    shipment = (
        Shipment.objects.select_related("order__shipping_address", "order__customer", "warehouse").filter(pk=pk).first()
    )
    if shipment is None:
        raise NotFound(f"No shipment {pk}.", code="unknown_shipment")
    ids = list(Shipment.objects.filter(order_id=shipment.order_id).order_by("pk").values_list("pk", flat=True))
    names, services = _names(shipment.order_id, [shipment])
    return _row(shipment, index=ids.index(pk) + 1, count=len(ids), names=names, services=services)


def shipment_list_for_documents(*, numbers: list[str]) -> list[ShipmentRow]:
    """Every parcel with a label of the orders named (the first ``PICK_LIST_MAX_ORDERS``), order by order in
    the order given, each counted "n of m" among all its order's parcels: one bundle of labels and slips."""
    numbers = numbers[:PICK_LIST_MAX_ORDERS]
    shipments = list(
        Shipment.objects.filter(order__number__in=numbers)
        .select_related("order__shipping_address", "order__customer", "warehouse")
        .order_by("order_id", "pk")
    )
    by_order: dict[str, list[Shipment]] = defaultdict(list)
    for shipment in shipments:
        by_order[shipment.order.number].append(shipment)
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for order_id, sku, name in OrderLine.objects.filter(order_id__in={s.order_id for s in shipments}).values_list(
        "order_id", "sku", "name"
    ):
        names[order_id][sku] = name
    services = dict(ShippingMethod.objects.filter(code__in={s.service for s in shipments}).values_list("code", "name"))
    rows = []
    for number in numbers:
        parcels = by_order.get(number, [])
        for index, shipment in enumerate(parcels, start=1):
            if shipment.tracking_number:
                rows.append(
                    _row(shipment, index=index, count=len(parcels), names=names[shipment.order_id], services=services)
                )
    return rows
