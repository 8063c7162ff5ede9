"""The demo's orders: each one planned as steps through the real services, taken, then dated into the past.

Orders are placed and moved through the real services (placement, staff transitions, carrier events), so
the timeline, stock ledger, payments and emails are exactly what the shop would produce. Afterwards only
timestamps (placed_at, event times, shipped/completed/cancelled dates) are moved into the past with plain
updates, to spread the orders over the last two months. The status field is never written directly.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Max, Min
from tqdm import tqdm

from dashboard.management.demo.data import CHANNEL_WEIGHTS, PLACED_DAYS_AGO, SCENARIOS
from dashboard.management.demo.setup import Demo
from inventory.models import StockMovement
from oms.exceptions import DomainError
from orders.management.commands.simulate_carrier import CARRIER, statuses_after, tracking_payload
from orders.models import Channel, Customer, HoldReason, Order, OrderEvent
from orders.services import (
    AddressInput,
    PlacementInput,
    order_cancel_by_customer,
    order_place,
    order_tracking_event,
    order_transition,
    orders_complete_delivered,
)
from orders.services.lifecycle import complete_after_days
from payments.models import GatewayTransaction, Payment, PaymentReceipt
from shipping.models import Shipment, TrackingEvent
from shipping.services import delivery_dates


@dataclass
class Step:
    """One thing that happens to an order; ``run(at)`` does it as if it were ``at``."""

    at: datetime
    run: Callable[[datetime], object]
    stamp: str = ""  # the order's date field that takes this step's time: shipped_at, completed_at, cancelled_at


@dataclass
class Plan:
    scenario: str
    steps: list[Step]
    order: Order | None = None


def orders_seed(demo: Demo, *, count: int, show_progress: bool) -> None:
    plans = [order_plan(demo, scenario) for scenario in scenarios_draw(demo.rng, count)]
    plans.sort(key=lambda plan: plan.steps[0].at)  # placed in date order, so ids follow time
    for plan in tqdm(plans, desc="Orders", unit="order", disable=not show_progress):
        plan_run(demo, plan)
    customers_backdate(demo)


def customers_backdate(demo: Demo) -> None:
    """Customers made by this seed become customers some weeks or months before their first order (or, with
    none, before today): "Customer since" reads like a real shop's, not today for everyone."""
    first_orders = dict(
        Order.objects.filter(customer__created_at__gte=demo.now)
        .values("customer_id")
        .annotate(first=Min("placed_at"))
        .values_list("customer_id", "first")
    )
    customers = list(Customer.objects.filter(created_at__gte=demo.now).only("pk"))
    for customer in customers:
        rng = random.Random(customer.pk)  # its own draw: the demo's sequence of choices stays as it was
        since = first_orders.get(customer.pk, demo.now) - timedelta(
            days=rng.randint(3, 400), minutes=rng.randint(0, 1439)
        )
        customer.created_at = customer.updated_at = since
    Customer.objects.bulk_update(customers, ["created_at", "updated_at"], batch_size=500)


def scenarios_draw(rng: random.Random, count: int) -> list[str]:
    """``count`` scenario names in the shares of SCENARIOS, each at least once when count allows."""
    names = list(SCENARIOS)
    if count <= len(names):
        return names[:count]
    total = sum(SCENARIOS.values())
    counts = {name: max(1, SCENARIOS[name] * count // total) for name in names}
    for name in sorted(names, key=lambda n: -SCENARIOS[n])[: count - sum(counts.values())]:
        counts[name] += 1
    while sum(counts.values()) > count:
        counts[max(counts, key=counts.get)] -= 1
    scenarios = [name for name, n in counts.items() for _ in range(n)]
    rng.shuffle(scenarios)
    return scenarios


def order_plan(demo: Demo, scenario: str) -> Plan:
    """The steps that carry one new order to ``scenario``, each at the time it should show."""
    rng, staff = demo.rng, demo.staff
    low, high = PLACED_DAYS_AGO[scenario]
    placed = (demo.now - timedelta(days=rng.uniform(low, high))).replace(microsecond=0)
    plan = Plan(scenario, [])

    channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
    customer = rng.choice(demo.accounts if demo.accounts and rng.random() < 0.15 else demo.people)
    lines = _lines(demo)
    payment, token = "card", "tok_ok"
    if scenario == "hold_credit":
        channel = rng.choice([Channel.PHONE, Channel.EMAIL])
        customer = rng.choice(demo.tight_accounts)
        lines = [(rng.choice([p for p in demo.products if p.price >= 150]).sku, 2)]
    elif scenario == "hold_payment_failed":
        channel = rng.choice([Channel.WEB, Channel.WEB, Channel.PHONE, Channel.IMPORT])
        customer, token = rng.choice(demo.people), "tok_decline"
    elif scenario == "awaiting_transfer":
        channel = rng.choice([Channel.WEB, Channel.EMAIL, Channel.PHONE])
        customer, payment, token = rng.choice(demo.people), "bank_transfer", ""
    elif scenario == "hold_out_of_stock":
        lines = [*lines[:2], (rng.choice(demo.out_of_stock).sku, 1)]
    if scenario not in ("hold_payment_failed", "awaiting_transfer"):
        if channel == Channel.IN_STORE:
            payment, token = "cash", ""
        elif customer.on_account and channel != Channel.WEB:
            payment, token = "on_account", ""
        elif rng.random() < 0.12:
            payment, token = "bank_transfer", ""
    method = "express" if rng.random() < 0.25 else "standard"
    book = demo.addresses[customer.pk]
    data = PlacementInput(
        customer_email=customer.email,
        customer_name=customer.name,
        customer_phone=customer.phone,
        customer_id=customer.pk,
        lines=lines,
        shipping_address=AddressInput.of(book),
        shipping_method=method,
        payment_method=payment,
        payment_token=token,
        channel=channel,
        storefront_id=demo.storefront.pk if channel == Channel.WEB else None,
        notes=rng.choice(["", "", "", "", "Please leave at the back door.", "Gift: no prices on the slip."]),
    )
    storefront_actor = f"storefront:{demo.storefront.name}"
    actor = {Channel.WEB: storefront_actor, Channel.IMPORT: "import:marketplace"}.get(channel, "desk")

    def place(at):
        for attempt in range(6):
            try:
                plan.order = order_place(data=data, actor=actor)
                return
            except RuntimeError:
                # On SQLite the order_total_adds_up CHECK compares floats, so some totals cannot be stored
                # and placement gives up with "Could not allocate an order number". Another quantity gives
                # another total.
                if attempt == 5:
                    raise
                sku, quantity = data.lines[0]
                data.lines[0] = (sku, quantity + 1)

    def take(user: str, name: str, reason: str = ""):
        return lambda at: order_transition(order_id=plan.order.pk, name=name, user=staff[user], reason=reason)

    steps = plan.steps
    steps.append(Step(placed, place))
    if scenario.startswith("hold_") and scenario != "hold_review" or scenario == "awaiting_transfer":
        return plan  # the automatic stages put it there

    t = placed + timedelta(minutes=rng.randint(1, 5))
    if scenario == "cancelled":
        t += timedelta(hours=rng.uniform(1, 40))
        if channel == Channel.WEB:
            cancel = lambda at: order_cancel_by_customer(  # noqa: E731
                order_id=plan.order.pk, actor=storefront_actor, reason="Changed my mind"
            )
            steps.append(Step(t, cancel, stamp="cancelled_at"))
        elif payment != "bank_transfer" and rng.random() < 0.4:
            steps.append(Step(t, take("warehouse", "start_fulfillment")))
            t += timedelta(hours=rng.uniform(0.5, 3))
            steps.append(Step(t, take("desk", "cancel", "Customer called: wrong size ordered"), "cancelled_at"))
        else:
            who, why = rng.choice(
                [
                    ("desk", "Customer called to cancel before dispatch"),
                    ("support", "Duplicate order; the customer asked us to cancel this one"),
                ]
            )
            if payment == "bank_transfer":
                who, why = "finance", "No bank transfer arrived within 7 days"
            steps.append(Step(t, take(who, "cancel", why), stamp="cancelled_at"))
        return plan

    if payment == "bank_transfer":
        t = placed + timedelta(hours=rng.uniform(6, 52))
        steps.append(Step(t, take("finance", "mark_paid", "Bank transfer received")))
    if scenario == "hold_review":
        reason = rng.choice([HoldReason.FRAUD_REVIEW, HoldReason.ADDRESS_PROBLEM])
        steps.append(Step(t + timedelta(minutes=rng.randint(10, 90)), take("desk", "hold", reason)))
        return plan
    if scenario == "confirmed":
        return plan
    if rng.random() < 0.06:  # a second look before the warehouse starts
        t += timedelta(minutes=rng.randint(10, 60))
        steps.append(Step(t, take("support", "hold", HoldReason.FRAUD_REVIEW)))
        t += timedelta(hours=rng.uniform(1, 5))
        steps.append(Step(t, take("support", "release", "Checked with the customer by phone")))

    t += timedelta(hours=rng.uniform(2, 20))
    steps.append(Step(t, take("warehouse", "start_fulfillment")))
    if scenario == "fulfilling":
        return plan
    t += timedelta(hours=rng.uniform(1, 6))
    steps.append(Step(t, take("warehouse", "ship"), stamp="shipped_at"))
    if scenario == "shipped":
        return plan

    until = "delivered" if scenario in ("delivered", "completed") else rng.choice(["in_transit", "out_for_delivery"])
    exception = rng.random() < (0.25 if scenario == "in_transit" else 0.07)
    picked_up = t + timedelta(hours=rng.uniform(4, 14))
    arrival = t + timedelta(days=demo.transit_days.get(method, 3) + rng.randint(0, 2), hours=rng.uniform(1, 6))
    times = {
        "in_transit": picked_up,
        "exception": picked_up + (arrival - picked_up) / 2,
        "out_for_delivery": arrival - timedelta(hours=3),
        "delivered": arrival,
    }
    for status in statuses_after(Shipment.Status.LABEL_CREATED, until=until, exception=exception):
        steps.append(Step(times[status], lambda at, status=status: _carrier_event(plan.order, status, at)))
    if scenario != "completed":
        return plan
    if rng.random() < 0.5:
        done = arrival + timedelta(days=rng.uniform(1, 5))
        steps.append(Step(done, take("manager", "complete", "Customer confirmed receipt"), stamp="completed_at"))
    else:  # the hourly job completes orders this long after delivery
        done = arrival + timedelta(days=complete_after_days(), minutes=rng.randint(1, 59))
        steps.append(Step(done, lambda at: orders_complete_delivered(), stamp="completed_at"))
    return plan


def _lines(demo: Demo) -> list[tuple[str, int]]:
    rng = demo.rng
    count = rng.choices([1, 2, 3, 4], [50, 30, 15, 5])[0]
    return [(p.sku, rng.choices([1, 2, 3], [70, 20, 10])[0]) for p in rng.sample(demo.products, count)]


def _carrier_event(order: Order, status: str, at: datetime) -> None:
    """The demo carrier reports ``status`` for every parcel of the order, a few minutes apart."""
    shipments = (
        Shipment.objects.filter(order=order, carrier=CARRIER)
        .exclude(tracking_number=None)
        .select_related("warehouse", "order__shipping_address")
        .order_by("pk")
    )
    for offset, shipment in enumerate(shipments):
        payload = tracking_payload(shipment=shipment, status=status, at=at + timedelta(minutes=17 * offset))
        order_tracking_event(carrier=CARRIER, payload=payload)


def plan_run(demo: Demo, plan: Plan) -> None:
    """Take the plan's steps, then move the order's events and dates to the times the steps stand for."""
    # A plan that would end in the future happens earlier instead.
    shift = max(max(step.at for step in plan.steps) - (demo.now - timedelta(minutes=5)), timedelta(0))
    spans: list[tuple[int, int, datetime]] = []
    tx_spans: list[tuple[int, int, datetime]] = []
    stamped: dict[str, datetime] = {}
    for step in plan.steps:
        at = step.at - shift
        before = OrderEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        tx_before = GatewayTransaction.objects.aggregate(m=Max("pk"))["m"] or 0
        try:
            step.run(at)
        except DomainError as exc:
            number = plan.order.number if plan.order else "(not placed)"
            demo.off_plan.append(f"{number} ({plan.scenario}): {exc.message}")
            break
        spans.append((before, OrderEvent.objects.aggregate(m=Max("pk"))["m"] or 0, at))
        tx_spans.append((tx_before, GatewayTransaction.objects.aggregate(m=Max("pk"))["m"] or 0, at))
        if step.stamp:
            stamped[step.stamp] = at
    order = plan.order
    if order is None:
        return
    for low, high, at in spans:
        events = list(OrderEvent.objects.filter(order=order, pk__gt=low, pk__lte=high).order_by("pk"))
        for i, event in enumerate(events):
            event.at = at + timedelta(seconds=2 * i)
        OrderEvent.objects.bulk_update(events, ["at"])
    placed = spans[0][2]
    ship_by, delivery = delivery_dates(placed_at=placed, transit_days=demo.transit_days[order.shipping_method])
    Order.objects.filter(pk=order.pk).update(
        placed_at=placed,
        promised_ship_date=ship_by,
        estimated_delivery_date=delivery,
        updated_at=spans[-1][2],
        **stamped,
    )
    Payment.objects.filter(order=order).update(created_at=placed, updated_at=spans[-1][2])
    # Gateway calls (authorize, capture, void, refund) and money received take the time of the step that made them.
    for low, high, at in tx_spans:
        GatewayTransaction.objects.filter(payment__order=order, pk__gt=low, pk__lte=high).update(created_at=at)
        PaymentReceipt.objects.filter(payment__order=order, created_at__gt=demo.now).update(created_at=at)
    Shipment.objects.filter(order=order).update(created_at=stamped.get("shipped_at", placed))
    TrackingEvent.objects.filter(shipment__order=order).update(received_at=F("occurred_at"))
    movements = StockMovement.objects.filter(reference=order.number)
    movements.filter(kind=StockMovement.Kind.RESERVE).update(created_at=placed)
    for kind, stamp in ((StockMovement.Kind.SHIP, "shipped_at"), (StockMovement.Kind.RELEASE, "cancelled_at")):
        if stamp in stamped:
            movements.filter(kind=kind).update(created_at=stamped[stamp])
