"""Transfers and a cycle count, made through the real services once the orders exist: one transfer in transit,
one received (a unit short), and an open count sheet with some counts entered."""

from django.db.models import F

from dashboard.management.demo.setup import Demo
from inventory.counts import cycle_count_create, cycle_count_record
from inventory.models import CycleCount, CycleCountStatus, StockItem, Warehouse
from inventory.transfers import transfer_create, transfer_pick, transfer_receive, transfer_ship
from oms.exceptions import DomainError

# (from, to, units per SKU, received short by)
TRANSFER_PLANS = [("NJ1", "NV1", 6, None), ("NJ1", "NL1", 4, 1)]


def transfers_seed(demo: Demo) -> None:
    clerk = demo.staff["warehouse"]
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in={"NJ1", "NV1", "NL1"})}
    if len(warehouses) < 3:
        return
    plenty = list(
        StockItem.objects.filter(warehouse=warehouses["NJ1"], product__in=demo.products)
        .annotate(free=F("on_hand") - F("reserved"))
        .filter(free__gte=30)
        .order_by("product__sku")
        .values_list("product_id", flat=True)[:4]
    )
    for index, (source, destination, units, short) in enumerate(TRANSFER_PLANS):
        products = plenty[index * 2 : index * 2 + 2]
        if not products:
            return
        try:
            transfer = transfer_create(
                from_warehouse_id=warehouses[source].pk,
                to_warehouse_id=warehouses[destination].pk,
                lines=[(product_id, units) for product_id in products],
                notes="Seeded: rebalancing stock between warehouses",
                user=clerk,
            )
            transfer_pick(transfer_id=transfer.pk, user=clerk)
            transfer_ship(transfer_id=transfer.pk, user=clerk)
            if short is not None:
                first = transfer.lines.order_by("pk").first()
                transfer_receive(transfer_id=transfer.pk, quantities={first.pk: units - short}, user=clerk)
        except DomainError as error:
            demo.off_plan.append(f"transfer {source} → {destination}: {error.message}")
    if CycleCount.objects.filter(warehouse=warehouses["NJ1"], status=CycleCountStatus.OPEN).exists():
        return  # seeded before: its sheet is still open
    try:
        count = cycle_count_create(warehouse_id=warehouses["NJ1"].pk, bin_from="A-01", bin_to="A-02", user=clerk)
        lines = list(count.lines.select_related("stock_item")[:3])
        counts = {line.pk: max(line.expected_on_hand - offset, 0) for offset, line in enumerate(lines)}
        cycle_count_record(cycle_count_id=count.pk, counts=counts, user=clerk)
    except DomainError as error:
        demo.off_plan.append(f"cycle count in NJ1: {error.message}")
