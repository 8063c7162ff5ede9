"""Demo data for a first look: warehouses, catalog, stock, customers, staff, a storefront and orders.

Orders are placed and moved through the real services (placement, staff transitions, carrier events), so
the timeline, stock ledger, payments and emails are exactly what the shop would produce. Afterwards only
timestamps (placed_at, event times, shipped/completed/cancelled dates) are moved into the past with plain
updates, to spread the orders over the last two months. The status field is never written directly.

Queued work runs in-process right after each commit while seeding, even when a broker is configured, so
each order has reached its stage before its next step is taken.
"""

import logging
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, F, Max
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from dashboard.management.commands._demo_data import (
    CATALOG,
    CHANNEL_WEIGHTS,
    CITIES,
    COMPANY_KINDS,
    COMPANY_WORDS,
    COUNTRY_WEIGHTS,
    DEMO_PASSWORD,
    DISCONTINUED,
    FIRST_NAMES,
    LAST_NAMES,
    LOW_STOCK,
    OUT_OF_STOCK,
    PHONE_CODES,
    PLACED_DAYS_AGO,
    SCENARIOS,
    STAFF,
    STOREFRONT_NAME,
    STREET_FORMAT,
    STREETS,
    TAX_RATES,
    WAREHOUSES,
    support_seed,
)
from dashboard.roles import roles_sync
from inventory.models import Product, StockItem, StockMovement, Warehouse
from inventory.services import stock_receive
from oms.authentication import storefront_create
from oms.exceptions import DomainError
from oms.models import Storefront
from orders.management.commands.simulate_carrier import CARRIER, statuses_after, tracking_payload
from orders.models import Address, Channel, Customer, HoldReason, Order, OrderEvent, OrderStatus, TaxRate
from orders.services import (
    AddressInput,
    PlacementInput,
    order_cancel_by_customer,
    order_place,
    order_tracking_event,
    order_transition,
    orders_complete_delivered,
)
from payments.models import Payment
from shipping.models import Shipment, ShippingMethod, TrackingEvent
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


@dataclass
class Demo:
    """What the order plans draw on, and what happened."""

    rng: random.Random
    now: datetime
    storefront: Storefront
    staff: dict[str, User]
    products: list[Product]  # in stock: for ordinary orders
    out_of_stock: list[Product]
    people: list[Customer]  # prepaid
    accounts: list[Customer]  # on account, with a comfortable credit limit
    tight_accounts: list[Customer]  # on account, with a limit one order exceeds
    addresses: dict[int, Address]
    transit_days: dict[str, int]
    off_plan: list[str] = field(default_factory=list)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


class Command(BaseCommand):
    help = (
        "Fill the database with demo data made through the real services: warehouses, products, stock, tax rates, "
        "customers, staff users (one per role, plus admin), a storefront with its API key, and orders in every "
        "state spread over the last two months."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there are orders already.")
        parser.add_argument("--orders", type=int, default=300, help="How many orders (default 300).")
        parser.add_argument("--customers", type=int, default=200, help="How many customers (default 200).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")

    def handle(self, *args, if_empty=False, orders=300, customers=200, seed=1, **options):
        if orders < 0 or customers < 4:
            raise CommandError("--orders must be at least 0 and --customers at least 4.")
        if if_empty and Order.objects.exists():
            self.stdout.write(
                f"Demo data is present ({Order.objects.count()} orders): nothing to do. "
                "Run seed_demo without --if-empty to add more."
            )
            self._print_logins(key=None)
            return
        started = time.monotonic()
        if connection.vendor == "sqlite":
            # Demo data: no need to wait for the disk after each of the thousands of commits (this connection only).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        # One line per task run in-process would drown the progress bar.
        trace_logger = logging.getLogger("celery.app.trace")
        level = trace_logger.level
        trace_logger.setLevel(logging.WARNING)
        try:
            # Each order must reach its stage before its next step: run queued work in-process after each commit.
            with override_settings(OMS_TASKS_INLINE=True):
                demo, key = self._setup(seed=seed, customer_count=customers, order_count=orders)
                self._orders(demo, count=orders, show_progress=options.get("verbosity", 1) > 0)
                support_seed(rng=demo.rng, support_user=demo.staff["support"])
        finally:
            trace_logger.setLevel(level)
        self._report(demo, elapsed=time.monotonic() - started, key=key)

    # --- reference data ---------------------------------------------------------------------------
    def _setup(self, *, seed: int, customer_count: int, order_count: int) -> tuple[Demo, str]:
        rng = random.Random(seed)
        now = timezone.now().replace(microsecond=0)
        self._shipping_methods()
        warehouses = self._warehouses()
        products = self._products()
        self._stock(rng, products, warehouses, scale=max(1, -(-order_count // 1000)), at=now - timedelta(days=61))
        for country, rate in TAX_RATES.items():
            TaxRate.objects.update_or_create(country=country, defaults={"rate": Decimal(rate)})
        people, accounts, tight, addresses = self._customers(rng, customer_count)
        staff = self._staff()
        storefront, key = storefront_create(name=self._free_storefront_name())
        demo = Demo(
            rng=rng,
            now=now,
            storefront=storefront,
            staff=staff,
            products=[p for p in products if p.is_active and p.sku not in OUT_OF_STOCK + LOW_STOCK],
            out_of_stock=[p for p in products if p.sku in OUT_OF_STOCK],
            people=people,
            accounts=accounts,
            tight_accounts=tight,
            addresses=addresses,
            transit_days=dict(ShippingMethod.objects.values_list("code", "transit_days")),
        )
        return demo, key

    def _shipping_methods(self) -> None:
        """The two methods the migration creates, in case they were removed since."""
        for code, name, flat, per_kg, days, priority in (
            ("standard", "Standard (3–5 days)", "4.95", "0.50", 4, 100),
            ("express", "Express (1–2 days)", "14.95", "1.00", 1, 10),
        ):
            ShippingMethod.objects.get_or_create(
                code=code,
                defaults={"name": name, "flat_fee": flat, "per_kg": per_kg, "transit_days": days, "priority": priority},
            )

    def _warehouses(self) -> list[Warehouse]:
        return [
            Warehouse.objects.get_or_create(code=code, defaults={"name": name, "country": country, "priority": prio})[0]
            for code, name, country, prio, _ in WAREHOUSES
        ]

    def _products(self) -> list[Product]:
        return [
            Product.objects.get_or_create(
                sku=sku,
                defaults={
                    "name": name,
                    "price": Decimal(price),
                    "weight_kg": Decimal(weight),
                    "reorder_point": 5 + index % 4 * 3,
                    "is_active": sku != DISCONTINUED[0],
                },
            )[0]
            for index, (sku, name, price, weight) in enumerate([*CATALOG, DISCONTINUED])
        ]

    def _stock(self, rng: random.Random, products, warehouses, *, scale: int, at: datetime) -> None:
        """Opening stock, booked as goods receipts so the ledger explains every unit."""
        aisles = {code: aisle for code, *_, aisle in WAREHOUSES}
        existing = {(i.product_id, i.warehouse_id): i for i in StockItem.objects.all()}
        bins = Counter(i.warehouse_id for i in existing.values())
        for product in products:
            if not product.is_active:
                continue
            chosen = [w for w, share in zip(warehouses, (0.9, 0.6, 0.5), strict=True) if rng.random() < share]
            chosen = chosen or warehouses[:1]
            for warehouse in chosen:
                if product.sku in OUT_OF_STOCK:
                    wanted = 0
                elif product.sku in LOW_STOCK:
                    wanted = rng.randint(1, 3) if warehouse == chosen[0] else 0
                else:
                    wanted = rng.randint(4, 16) * 10 * scale
                item = existing.get((product.pk, warehouse.pk))
                if item is None:
                    n = bins[warehouse.pk]
                    bins[warehouse.pk] += 1
                    item = StockItem.objects.create(
                        product=product,
                        warehouse=warehouse,
                        bin_location=f"{aisles.get(warehouse.code, 'A')}-{n // 8 + 1:02d}-{n % 8 + 1}",
                    )
                if wanted > item.available:
                    stock_receive(
                        stock_item_id=item.pk, quantity=wanted - item.available, reason="Opening stock", actor="seed"
                    )
        StockMovement.objects.filter(reason="Opening stock", reference="").update(created_at=at)

    def _customers(self, rng: random.Random, count: int):
        """Private customers (prepaid) and businesses on account; each with an address in its book."""
        businesses = max(2, round(count * 0.12))
        tight_count = max(1, businesses // 6)
        rows = []
        for i in range(count):
            country = rng.choices(list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values()))[0]
            city, postal, region = rng.choice(CITIES[country])
            line1 = STREET_FORMAT[country].format(n=rng.randint(1, 240), s=rng.choice(STREETS))
            phone = f"+{PHONE_CODES[country]} {rng.randint(200, 999)} {rng.randint(1000000, 9999999)}"
            if i < businesses:
                name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
                email = f"purchasing{i}@{_ascii(name.split()[0])}.example.com"
                terms = Customer.PaymentTerms.ON_ACCOUNT
                limits = [200, 250, 300] if i < tight_count else [5000, 10000, 20000]
                limit = Decimal(rng.choice(limits))
            else:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                name = f"{first} {last}"
                email = f"{_ascii(first)}.{_ascii(last)}{i}@example.{rng.choice(['com', 'org', 'net'])}"
                terms, limit = Customer.PaymentTerms.PREPAID, Decimal("0")
            customer = Customer(email=email, name=name, phone=phone, payment_terms=terms, credit_limit=limit)
            address = Address(name=name, line1=line1, city=city, region=region, postal_code=postal, country=country)
            rows.append((customer, address, i < tight_count))

        emails = [c.email for c, _, _ in rows]
        known = {c.email for c in Customer.objects.filter(email__in=emails)}
        Customer.objects.bulk_create([c for c, _, _ in rows if c.email not in known])
        saved = {c.email: c for c in Customer.objects.filter(email__in=emails)}
        book: dict[int, Address] = {}
        for address in Address.objects.filter(customer__in=saved.values()).order_by("-pk"):
            book[address.customer_id] = address  # the oldest: the book entry, not an order's copy
        missing = []
        for customer, address, _ in rows:
            if saved[customer.email].pk not in book:
                address.customer = saved[customer.email]
                missing.append(address)
        for address in Address.objects.bulk_create(missing):
            book[address.customer_id] = address
        people, accounts, tight = [], [], []
        for customer, _, is_tight in rows:
            customer = saved[customer.email]
            (tight if is_tight else accounts if customer.on_account else people).append(customer)
        return people, accounts, tight, book

    def _staff(self) -> dict[str, User]:
        roles_sync()
        password = make_password(DEMO_PASSWORD)  # one slow hash for all of them
        users = {}
        for username, (role, first, last) in STAFF.items():
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.email = first, last, f"{username}@oms.example"
            user.is_staff = True
            user.password = password
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            users[username] = User.objects.get(pk=user.pk)  # a fresh instance: no stale permission cache
        admin, _ = User.objects.get_or_create(username="admin")
        admin.email = "admin@oms.example"
        admin.is_staff = admin.is_superuser = True
        admin.password = password
        admin.save()
        return users

    def _free_storefront_name(self) -> str:
        name, n = STOREFRONT_NAME, 1
        while Storefront.objects.filter(name=name).exists():
            n += 1
            name = f"{STOREFRONT_NAME} {n}"
        return name

    # --- orders -----------------------------------------------------------------------------------
    def _orders(self, demo: Demo, *, count: int, show_progress: bool) -> None:
        plans = [self._plan(demo, scenario) for scenario in self._scenarios(demo.rng, count)]
        plans.sort(key=lambda plan: plan.steps[0].at)  # placed in date order, so ids follow time
        for plan in tqdm(plans, desc="Orders", unit="order", disable=not show_progress):
            self._run(demo, plan)

    @staticmethod
    def _scenarios(rng: random.Random, count: int) -> list[str]:
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

    def _plan(self, demo: Demo, scenario: str) -> Plan:
        """The steps that carry one new order to ``scenario``, each at the time it should show."""
        rng, staff = demo.rng, demo.staff
        low, high = PLACED_DAYS_AGO[scenario]
        placed = (demo.now - timedelta(days=rng.uniform(low, high))).replace(microsecond=0)
        plan = Plan(scenario, [])

        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        customer = rng.choice(demo.accounts if demo.accounts and rng.random() < 0.15 else demo.people)
        lines = self._lines(demo)
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
            shipping_address=AddressInput(
                name=book.name,
                line1=book.line1,
                city=book.city,
                region=book.region,
                postal_code=book.postal_code,
                country=book.country,
            ),
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

        until = (
            "delivered" if scenario in ("delivered", "completed") else rng.choice(["in_transit", "out_for_delivery"])
        )
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
            steps.append(Step(times[status], lambda at, status=status: self._carrier_event(plan.order, status, at)))
        if scenario != "completed":
            return plan
        if rng.random() < 0.5:
            done = arrival + timedelta(days=rng.uniform(1, 5))
            steps.append(Step(done, take("manager", "complete", "Customer confirmed receipt"), stamp="completed_at"))
        else:  # the hourly job completes orders this long after delivery
            done = arrival + timedelta(days=settings.OMS_COMPLETE_AFTER_DAYS, minutes=rng.randint(1, 59))
            steps.append(Step(done, lambda at: orders_complete_delivered(), stamp="completed_at"))
        return plan

    @staticmethod
    def _lines(demo: Demo) -> list[tuple[str, int]]:
        rng = demo.rng
        count = rng.choices([1, 2, 3, 4], [50, 30, 15, 5])[0]
        return [(p.sku, rng.choices([1, 2, 3], [70, 20, 10])[0]) for p in rng.sample(demo.products, count)]

    @staticmethod
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

    def _run(self, demo: Demo, plan: Plan) -> None:
        """Take the plan's steps, then move the order's events and dates to the times the steps stand for."""
        # A plan that would end in the future happens earlier instead.
        shift = max(max(step.at for step in plan.steps) - (demo.now - timedelta(minutes=5)), timedelta(0))
        spans: list[tuple[int, int, datetime]] = []
        stamped: dict[str, datetime] = {}
        for step in plan.steps:
            at = step.at - shift
            before = OrderEvent.objects.aggregate(m=Max("pk"))["m"] or 0
            try:
                step.run(at)
            except DomainError as exc:
                number = plan.order.number if plan.order else "(not placed)"
                demo.off_plan.append(f"{number} ({plan.scenario}): {exc.message}")
                break
            spans.append((before, OrderEvent.objects.aggregate(m=Max("pk"))["m"] or 0, at))
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
        Payment.objects.filter(order=order).update(created_at=placed)
        Shipment.objects.filter(order=order).update(created_at=stamped.get("shipped_at", placed))
        TrackingEvent.objects.filter(shipment__order=order).update(received_at=F("occurred_at"))
        movements = StockMovement.objects.filter(reference=order.number)
        movements.filter(kind=StockMovement.Kind.RESERVE).update(created_at=placed)
        for kind, stamp in ((StockMovement.Kind.SHIP, "shipped_at"), (StockMovement.Kind.RELEASE, "cancelled_at")):
            if stamp in stamped:
                movements.filter(kind=kind).update(created_at=stamped[stamp])

    # --- output -----------------------------------------------------------------------------------
    def _report(self, demo: Demo, *, elapsed: float, key: str) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
        out.write(
            f"  {Warehouse.objects.count()} warehouses, {Product.objects.count()} products, "
            f"{Customer.objects.count()} customers, {Order.objects.count()} orders. Orders by status:"
        )
        for status, n in Order.objects.values_list("status").annotate(n=Count("pk")).order_by("status"):
            out.write(f"    {status:<16} {n}")
        holds = Counter(Order.objects.filter(status=OrderStatus.ON_HOLD).values_list("hold_reason", flat=True))
        if holds:
            out.write("  On hold: " + ", ".join(f"{reason} {n}" for reason, n in sorted(holds.items())))
        awaiting = Order.objects.filter(status=OrderStatus.CREDIT_APPROVED, payment_status="awaiting_funds").count()
        if awaiting:
            out.write(f"  Awaiting a bank transfer: {awaiting}")
        for note in demo.off_plan:
            self.stderr.write(f"  Off plan: {note}")
        self._print_logins(key=key)

    def _print_logins(self, *, key: str | None) -> None:
        out = self.stdout
        out.write("")
        # The dashboard first: it is where staff work; /admin/ is for the rare case no page covers.
        out.write(f"Staff dashboard: {settings.SITE_URL}/dashboard/")
        out.write(f"Staff logins (password for all: {DEMO_PASSWORD}), also for /admin/ and POST /api/v1/auth/token/:")
        for username, (role, *_) in STAFF.items():
            out.write(f"  {username:<10} {role}")
        out.write("  admin      superuser")
        out.write(f"Customer portal: {settings.SITE_URL}/track/ (order number + email, or the link in any email)")
        example = (
            Order.objects.filter(status=OrderStatus.CONFIRMED)
            .order_by("-placed_at")
            .values_list("number", "customer__email")
            .first()
        )
        if example:
            out.write(f"  e.g. order {example[0]} with {example[1]}")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            out.write(f"Emails (to customers and the warehouse) are written to {settings.EMAIL_FILE_PATH}/")
        out.write("")
        if key:
            out.write(
                "Storefront API key (shown once; only its hash is stored). Send it as 'Authorization: Bearer <key>'."
            )
            out.write(f"  Storefront API key: {key}")
        else:
            out.write("The storefront API key was shown when the demo data was created. To make another:")
            out.write("  python manage.py create_storefront NAME")
