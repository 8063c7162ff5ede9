"""Rollups equal a full recomputation after random operations on real orders."""

import random

from orders import services
from reporting import services as reporting
from reporting.filters import shop_today
from reporting.models import DailyHoldRollup, DailyRollup, DailySkuRollup, DirtyOrder, OrderFact, OrderHold
from tests.factories import StaffFactory


def _snapshot():
    fields = [f.name for f in DailyRollup._meta.fields if f.name != "id"]
    buckets = sorted(tuple(row[f] for f in fields) for row in DailyRollup.objects.values(*fields))
    skus = sorted(DailySkuRollup.objects.values_list("day", "sku", "channel", "warehouse_id", "units", "revenue"))
    holds = sorted(DailyHoldRollup.objects.values_list("day", "channel", "warehouse_id", "reason", "holds"))
    facts = sorted(OrderFact.objects.values_list())
    return buckets, skus, holds, facts


def test_a_confirmed_order_has_its_facts_after_refresh(order_in_state):
    order = order_in_state("shipped")
    assert DirtyOrder.objects.filter(order_id=order.pk).exists()

    reporting.refresh_dirty()

    fact = OrderFact.objects.get(order_id=order.pk)
    assert not DirtyOrder.objects.exists()
    assert (fact.status, fact.units, fact.total, fact.cancelled) == ("shipped", 1, order.total, False)
    assert fact.confirmed_at is not None and fact.placed_at <= fact.confirmed_at <= fact.shipped_at
    assert fact.warehouse_id == order.lines.get().allocations.get().warehouse_id
    bucket = DailyRollup.objects.get()
    assert (bucket.orders, bucket.units, bucket.revenue, bucket.shipped) == (1, 1, order.total, 1)


def test_rollups_equal_a_full_rebuild_after_random_operations(order_in_state, commit, carrier_event):
    rng = random.Random(10)
    clerk = StaffFactory(role="manager", username="boss")
    orders = [order_in_state(rng.choice(["confirmed", "fulfilling", "shipped", "on_hold"])) for _ in range(6)]
    reporting.refresh_dirty()
    moves = {
        "confirmed": ["cancel", "start_fulfillment", "hold"],
        "fulfilling": ["ship", "cancel"],
        "on_hold": ["release", "cancel"],
        "shipped": ["in_transit"],
        "in_transit": ["delivered"],
    }
    for _ in range(16):
        order = rng.choice(orders)
        order.refresh_from_db()
        if order.status not in moves:
            continue
        step = rng.choice(moves[order.status])
        with commit():
            if step in ("in_transit", "delivered"):
                carrier_event(order, step)
                continue
            services.order_transition(
                order_id=order.pk,
                name=step,
                user=clerk,
                reason="Customer changed their mind" if step == "cancel" else "check",
                hold_reason="address_problem" if step == "hold" else None,
            )
        if rng.random() < 0.5:
            reporting.refresh_dirty()
    reporting.refresh_dirty()
    assert {o.status for o in OrderFact.objects.all()} & {"delivered", "cancelled"}
    incremental = _snapshot()

    DailyRollup.objects.all().delete()
    DailySkuRollup.objects.all().delete()
    DailyHoldRollup.objects.all().delete()
    OrderFact.objects.all().delete()
    reporting.rebuild(shop_today(), shop_today())

    assert _snapshot() == incremental
    assert OrderHold.objects.exists() or not any(o.status == "on_hold" for o in orders)
