"""Returns in every state and quality control, made through the real services once the orders exist.

QC is switched on for a few products only after the orders were seeded (orders seeded earlier ship in one step,
as orders placed before a product needed QC would); then one packed order waits for its check and one passed.
"""

from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from dashboard.management.demo.setup import Demo
from inventory.models import Product, Warehouse
from oms.exceptions import DomainError
from orders.models import LineAllocation, Order, OrderStatus
from orders.services import ParcelInput, order_pack_and_ship, order_quality_check
from returns.models import Resolution
from returns.policy import return_policy
from returns.services import return_request_create, return_transition
from shipping.selectors import quality_check_pending_for_order
from shipping.services import QcLineResult

# (state, reason, resolution, steps after the request); none of these reasons is authorized by policy alone.
RETURN_PLANS = [
    ("requested", "no_longer_needed", Resolution.REFUND, []),
    ("requested", "not_as_described", Resolution.EXCHANGE, []),
    ("authorized", "not_as_described", Resolution.REFUND, ["authorize"]),
    ("received", "no_longer_needed", Resolution.REFUND, ["authorize", "receive"]),
    ("inspected", "other", Resolution.REFUND, ["authorize", "receive", "inspect"]),
    ("refunded", "no_longer_needed", Resolution.REFUND, ["authorize", "receive", "inspect", "refund"]),
    ("closed", "not_as_described", Resolution.REFUND, ["authorize", "receive", "inspect", "refund", "close"]),
    ("exchanged", "other", Resolution.EXCHANGE, ["authorize", "receive", "inspect", "exchange"]),
    ("rejected", "no_longer_needed", Resolution.REFUND, ["reject"]),
    ("cancelled", "no_longer_needed", Resolution.REFUND, ["cancel"]),
]


def returns_seed(demo: Demo) -> None:
    """One return per plan, each on its own delivered order still inside the return window (as many plans as
    there are such orders)."""
    manager = demo.staff["manager"]
    warehouse = Warehouse.objects.filter(is_active=True).order_by("priority", "code").first()
    since = demo.now - timedelta(days=return_policy().window_days)
    orders = iter(
        Order.objects.filter(status=OrderStatus.DELIVERED, delivered_at__gte=since, returns__isnull=True).order_by(
            "-delivered_at"
        )
    )
    for state, reason, resolution, steps in RETURN_PLANS:
        order = next(orders, None)
        if order is None:  # a small demo has fewer delivered orders than plans: the first states get one
            return
        line = order.lines.order_by("pk").first()
        try:
            r = return_request_create(
                order=order,
                lines=[{"sku": line.sku, "quantity": 1, "reason": reason, "comment": "Seeded return"}],
                resolution=resolution,
                exchange_lines=[{"sku": line.sku, "quantity": 1}] if resolution == Resolution.EXCHANGE else [],
            )
            for step in steps:
                params = {
                    "reject": {"reason": "Used and outside the return policy"},
                    "receive": {"warehouse": warehouse},
                    "inspect": {"lines": [{"sku": line.sku, "quantity": 1, "condition": "resellable"}]},
                }.get(step, {})
                r = return_transition(return_request=r, name=step, user=manager, **params)
        except DomainError as error:
            demo.off_plan.append(f"{state} return on {order.number}: {error.message}")


@contextmanager
def qc_paused():
    """Seeded history predates QC: while the demo's orders are made (their ship steps take the one-step
    transition), products and warehouses a previous seed put under QC are not; they are again afterwards."""
    products = list(Product.objects.filter(requires_qc=True).values_list("pk", flat=True))
    warehouses = list(Warehouse.objects.filter(requires_qc=True).values_list("pk", flat=True))
    Product.objects.filter(pk__in=products).update(requires_qc=False)
    Warehouse.objects.filter(pk__in=warehouses).update(requires_qc=False)
    try:
        yield
    finally:
        Product.objects.filter(pk__in=products).update(requires_qc=True)
        Warehouse.objects.filter(pk__in=warehouses).update(requires_qc=True)


def quality_seed(demo: Demo) -> None:
    """QC for the products of two orders in fulfillment: one order packed and waiting, one checked and shipped."""
    orders = list(
        Order.objects.filter(status=OrderStatus.FULFILLING)
        .exclude(quality_checks__status="pending")
        .order_by("placed_at")[:2]
    )
    skus = {order.lines.order_by("pk").first().sku for order in orders}
    Product.objects.filter(sku__in=skus).update(requires_qc=True, qc_checks=["serial"])
    for n, order in enumerate(orders):
        try:
            order_pack_and_ship(
                order_id=order.pk,
                user=demo.staff["warehouse"],
                parcels=_parcels(order),
                service=order.shipping_method,
                packed=list(
                    LineAllocation.objects.filter(line__order=order, is_released=False).values_list("pk", flat=True)
                ),
            )
            check = quality_check_pending_for_order(order_id=order.pk)
            if n == 1 and check is not None:
                ok = {c["name"]: True for line in check.lines.all() for c in line.checks}
                results = {
                    line.pk: QcLineResult(checks=ok, serial=f"SN-{order.number}-{line.pk}")
                    for line in check.lines.all()
                }
                order_quality_check(order_id=order.pk, user=demo.staff["warehouse"], results=results)
        except DomainError as error:
            demo.off_plan.append(f"quality check of {order.number}: {error.message}")


def _parcels(order: Order) -> list[ParcelInput]:
    """One parcel per warehouse with everything it ships, weighed as the catalogue says (at least 100 g)."""
    contents: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weights: dict[int, Decimal] = defaultdict(Decimal)
    for a in LineAllocation.objects.filter(line__order=order, is_released=False, is_shipped=False).select_related(
        "line"
    ):
        contents[a.warehouse_id][a.line.sku] += a.quantity
        weights[a.warehouse_id] += a.line.weight_kg * a.quantity
    return [
        ParcelInput(
            warehouse_id=w, weight_kg=max(weights[w], Decimal("0.1")).quantize(Decimal("0.001")), contents=dict(c)
        )
        for w, c in contents.items()
    ]
