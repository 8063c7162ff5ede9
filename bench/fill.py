"""A running shop's orders written straight into a bench database with INSERT ... SELECT over generate_series.

PostgreSQL builds every row itself: no Python object per row and no round trip per batch, so a million
orders with their lines, allocations, payments, shipments, timelines, customers and addresses take minutes,
not the hour the ORM needs. What is made, per order: a customer (one per five orders), its own address row,
2–4 lines (3 on average) of different products with their warehouse allocations, one payment, a shipment
with a tracking number once shipped (5% of those in transit with a carrier exception), and the timeline of
status events from ``placed`` to where the order rests. Statuses are spread like a running shop (STATUS_MIX).

Columns the fill does not name get the model field's default, ``now()`` for auto dates and NULL where
allowed, so a field added later with a default needs no change here (see ``insert_select``).
"""

import time
from contextlib import contextmanager

from django.db import connection

STATUS_MIX = [  # (status, share %, days ago low, high)
    ("completed", 40, 20, 400),
    ("delivered", 8, 3, 15),
    ("in_transit", 6, 1, 5),
    ("shipped", 4, 0, 2),
    ("fulfilling", 5, 0, 2),
    ("confirmed", 12, 0, 3),
    ("credit_approved", 3, 0, 7),
    ("on_hold", 7, 0, 20),
    ("cancelled", 15, 1, 400),
]
HAPPY_PATH = [
    "placed",
    "verified",
    "credit_approved",
    "paid",
    "confirmed",
    "fulfilling",
    "shipped",
    "in_transit",
    "delivered",
    "completed",
]
# The timeline of an order resting in each status: the happy path up to it, or up to confirmed then aside.
TIMELINES = {
    status: HAPPY_PATH[: HAPPY_PATH.index(status) + 1] if status in HAPPY_PATH else HAPPY_PATH[:5] + [status]
    for status, *_ in STATUS_MIX
}
SHIPPED_STATES = ("shipped", "in_transit", "delivered", "completed")
HOLD_REASONS = ["out_of_stock", "credit", "payment_failed", "fraud_review", "address_problem"]
CHANNELS = ["web"] * 6 + ["phone", "email", "in_store", "import"]
FIRST = "Ava Liam Noah Emma Olivia Mia Lucas Sofia Amir Chloe Diego Hannah Jonas Lea Mateo Nora Oscar Priya".split()
LAST = "Smith Johnson Garcia Muller Schmidt Dubois Martin Jansen Brown Wilson Taylor Nguyen Kim Patel Rossi".split()


def insert_select(cursor, model, values: dict[str, str], source: str, params: dict) -> int:
    """``INSERT INTO <model's table> (<every column>) SELECT <values or defaults> <source>``; rows written.

    ``values`` maps column names to SQL expressions over ``source``. Other columns get the field's default
    as a parameter (``""`` for a blank text field, NULL for a nullable one), ``now()`` for ``auto_now`` and
    ``auto_now_add``; the primary key is left to its sequence unless given.
    """
    fields = model._meta.concrete_fields
    unknown = set(values) - {f.column for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    columns, expressions, defaults = [], [], {}
    for field in fields:
        if field.column in values:
            expression = values[field.column]
        elif field.primary_key:
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expression = "now()"
        else:
            name = f"default_{field.column}"
            defaults[name] = field.get_db_prep_save(field.get_default(), connection)
            expression = f"%({name})s"
        columns.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {source}",
        {**params, **defaults},
    )
    return cursor.rowcount


@contextmanager
def indexes_deferred(cursor, tables: list[str]):
    """Drop the secondary indexes and the foreign keys of ``tables`` for a bulk fill, and make them again after.

    One sort per index instead of a tree insert per row, and one join per foreign key instead of a deferred
    trigger per row: about twice as fast. Primary keys, unique and check constraints stay, and a unique
    index that is made again fails if the fill broke it. Not undone on an error: the database is dropped.
    """
    cursor.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
           WHERE t.relname = ANY(%s) AND NOT i.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = t.oid)""",
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid)
           FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
           WHERE k.contype = 'f' AND t.relname = ANY(%s)""",
        [tables],
    )
    foreign_keys = cursor.fetchall()
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    cursor.execute("SET maintenance_work_mem TO '256MB'")
    for _, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _case(expression: str, pairs: list[tuple[str, str]], default: str) -> str:
    return "CASE " + " ".join(f"WHEN {expression} = '{k}' THEN {v}" for k, v in pairs) + f" ELSE {default} END"


class Filler:
    """Adds orders with INSERT ... SELECT, continuing the numbering of earlier calls.

    Orders, addresses and customers get explicit ids (order k has id k and address k), so the rows that
    belong to an order are computed from its id, and the sequences are moved past them afterwards.
    """

    def __init__(self, seed: float = 0.42):
        from django.contrib.auth.models import Group, User
        from django.core.management import call_command

        from inventory.models import Product, StockItem, Warehouse

        call_command("migrate", verbosity=0, interactive=False)
        self.seed = seed
        self.warehouses = Warehouse.objects.bulk_create(
            Warehouse(code=code, name=code, priority=i + 1) for i, code in enumerate(["NJ1", "NV1", "NL1"])
        )
        self.products = Product.objects.bulk_create(
            Product(sku=f"SKU-{i:03d}", name=f"Product {i}", price=5 + i, weight_kg="0.5") for i in range(60)
        )
        StockItem.objects.bulk_create(
            StockItem(product=p, warehouse=w, on_hand=10**7, reserved=0) for p in self.products for w in self.warehouses
        )
        self.user = User.objects.create(username="bench-manager", is_staff=True)
        self.user.groups.add(Group.objects.get(name="manager"))
        self.count = 0
        self.customers = 0
        self.timings: dict[str, float] = {}

    def add(self, n: int) -> dict[str, int]:
        """Add ``n`` orders (and a customer per five); rows written per table."""
        from orders.models import Address, Customer, Order

        params = {
            "k0": self.count,
            "k1": self.count + n,
            "c0": self.customers,
            "c1": self.customers + max(1, n // 5),
            "first": FIRST,
            "last": LAST,
            "nfirst": len(FIRST),
            "nlast": len(LAST),
            "channels": CHANNELS,
            "holds": HOLD_REASONS,
            "pids": [p.pk for p in self.products],
            "skus": [p.sku for p in self.products],
            "names": [p.name for p in self.products],
            "prices": [p.price for p in self.products],
            "wids": [w.pk for w in self.warehouses],
            "nprod": len(self.products),
            "nwh": len(self.warehouses),
            "seed": self.seed,
        }
        written = {}
        with connection.cursor() as cursor:
            # No flush to disk per statement, and no JIT: compiling these CASE expressions costs seconds.
            cursor.execute("SET synchronous_commit TO off")
            cursor.execute("SET jit TO off")
            cursor.execute("SELECT setseed(%(seed)s)", params)
            steps = list(self._steps(params))
            tables = [model._meta.db_table for _, model, _, _ in steps]
            with indexes_deferred(cursor, tables):
                for name, model, values, source in steps:
                    started = time.perf_counter()
                    written[name] = insert_select(cursor, model, values, source, params)
                    self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
                started = time.perf_counter()
            self.timings["indexes and keys"] = self.timings.get("indexes and keys", 0.0) + time.perf_counter() - started
            for model in (Customer, Address, Order):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        self.count += n
        self.customers = params["c1"]
        return written

    def _steps(self, p: dict):
        """(name, model, column expressions, FROM ...) for each table, in the order the foreign keys need."""
        from inventory.models import StockItem
        from orders.models import Address, Customer, LineAllocation, Order, OrderEvent, OrderLine
        from payments.models import Payment
        from shipping.models import Shipment

        customer_of = "1 + mod(k * 2654435761, %(c1)s)"
        yield (
            "customers",
            Customer,
            {
                "id": "k",
                "email": "'buyer' || k || '@example.com'",
                "name": "(%(first)s::text[])[1 + mod(k * 7919, %(nfirst)s)] || ' ' "
                "|| (%(last)s::text[])[1 + mod(k * 104729, %(nlast)s)] || ' ' || k",
            },
            "FROM generate_series(%(c0)s::bigint + 1, %(c1)s) AS g(k)",
        )
        yield (
            "addresses",
            Address,
            {
                "id": "k",
                "customer_id": customer_of,
                "name": "'Bench Buyer ' || k",
                "line1": "mod(k, 500) || ' Main St'",
                "city": "'Portland'",
                "region": "'OR'",
                "postal_code": "'97205'",
                "country": "'US'",
            },
            "FROM generate_series(%(k0)s::bigint + 1, %(k1)s) AS g(k)",
        )
        # One random draw per decision; the status picks its age range; the lines' products and quantities
        # are a function of the order id, so the subtotal here and the lines below agree.
        bounds, total = [], 0
        for status, share, _, _ in STATUS_MIX:
            total += share
            bounds.append((total / 100, status))
        status_case = " ".join(f"WHEN r < {b} THEN '{s}'" for b, s in bounds[:-1])
        status_case = f"CASE {status_case} ELSE '{bounds[-1][1]}' END"
        low = _case("status", [(s, str(lo)) for s, _, lo, _ in STATUS_MIX], "0")
        span = _case("status", [(s, str(hi - lo)) for s, _, lo, hi in STATUS_MIX], "0")
        subtotal = (
            "(SELECT sum((%(prices)s::numeric[])[1 + mod(k * 7 + j * 13, %(nprod)s)] * (1 + mod(k + j, 3)))"
            " FROM generate_series(1, 2 + mod(k, 3)) AS j)"
        )
        shipped = "status IN (" + ", ".join(f"'{s}'" for s in SHIPPED_STATES) + ")"
        yield (
            "orders",
            Order,
            {
                "id": "k",
                "number": "'B' || lpad(k::text, 8, '0')",
                "channel": "(%(channels)s::text[])[1 + floor(r_channel * 10)::int]",
                "customer_id": customer_of,
                "shipping_address_id": "k",
                "billing_address_id": "k",
                "shipping_method": "CASE WHEN r_express < 0.15 THEN 'express' ELSE 'standard' END",
                "currency": "'USD'",
                "subtotal": "subtotal",
                "shipping_total": "4.95",
                "tax_total": "0",
                "total": "subtotal + 4.95",
                "promised_ship_date": "(placed + interval '1 day')::date",
                "estimated_delivery_date": "(placed + CASE WHEN r_express < 0.15 THEN interval '2 days' "
                "ELSE interval '5 days' END)::date",
                "status": "status",
                "hold_reason": "CASE WHEN status = 'on_hold' THEN (%(holds)s::text[])[1 + mod(k, 5)] ELSE '' END",
                "held_from": "CASE WHEN status = 'on_hold' THEN 'confirmed' ELSE '' END",
                "payment_method": "CASE WHEN status = 'credit_approved' THEN 'bank_transfer' ELSE 'card' END",
                "payment_status": f"CASE WHEN status = 'credit_approved' THEN 'awaiting_funds' "
                f"WHEN status = 'cancelled' THEN 'voided' WHEN {shipped} THEN 'captured' ELSE 'authorized' END",
                "amount_authorized": "CASE WHEN status IN ('credit_approved', 'cancelled') THEN 0 "
                "ELSE subtotal + 4.95 END",
                "amount_captured": f"CASE WHEN {shipped} THEN subtotal + 4.95 ELSE 0 END",
                "placed_at": "placed",
                "shipped_at": f"CASE WHEN {shipped} THEN LEAST(now(), placed + interval '20 hours') END",
                "delivered_at": "CASE WHEN status IN ('delivered', 'completed') "
                "THEN LEAST(now(), placed + interval '3 days') END",
                "completed_at": "CASE WHEN status = 'completed' THEN LEAST(now(), placed + interval '17 days') END",
                "cancelled_at": "CASE WHEN status = 'cancelled' THEN placed + interval '1 hour' END",
                "updated_at": "LEAST(now(), placed + interval '1 day')",
            },
            f"""FROM (
                SELECT k, status, r_channel, r_express, {subtotal} AS subtotal,
                       now() - make_interval(secs => ({low} + r_age * {span}) * 86400) AS placed
                FROM (
                    SELECT k, {status_case} AS status, r_age, r_channel, r_express
                    FROM (
                        SELECT k, random() AS r, random() AS r_age, random() AS r_channel, random() AS r_express
                        FROM generate_series(%(k0)s::bigint + 1, %(k1)s) AS g(k)
                    ) AS draws
                ) AS picked
                OFFSET 0  -- computed once per row, not once per column that reads them
            ) AS o""",
        )
        yield (
            "lines",
            OrderLine,
            {
                "order_id": "o.id",
                "product_id": "(%(pids)s::bigint[])[l.p]",
                "sku": "(%(skus)s::text[])[l.p]",
                "name": "(%(names)s::text[])[l.p]",
                "quantity": "l.q",
                "unit_price": "(%(prices)s::numeric[])[l.p]",
                "line_total": "(%(prices)s::numeric[])[l.p] * l.q",
                "weight_kg": "0.5",
                "quantity_reserved": "CASE WHEN o.status = 'cancelled' THEN 0 ELSE l.q END",
                "quantity_shipped": "CASE WHEN o.shipped_at IS NULL THEN 0 ELSE l.q END",
            },
            """FROM orders_order AS o
               CROSS JOIN LATERAL (
                   SELECT j, 1 + mod(o.id * 7 + j * 13, %(nprod)s) AS p, 1 + mod(o.id + j, 3) AS q
                   FROM generate_series(1, 2 + mod(o.id, 3)) AS j
               ) AS l
               WHERE o.id > %(k0)s AND o.id <= %(k1)s
               ORDER BY o.id, l.j""",
        )
        yield (
            "allocations",
            LineAllocation,
            {
                "line_id": "l.id",
                "stock_item_id": "s.id",
                "warehouse_id": "s.warehouse_id",
                "quantity": "l.quantity",
                "is_released": "l.quantity_reserved = 0",
                "is_shipped": "l.quantity_shipped > 0",
            },
            f"""FROM orders_orderline AS l
               JOIN {StockItem._meta.db_table} AS s
                 ON s.product_id = l.product_id AND s.warehouse_id = (%(wids)s::bigint[])[1 + mod(l.id, %(nwh)s)]
               WHERE l.order_id > %(k0)s AND l.order_id <= %(k1)s""",
        )
        yield (
            "payments",
            Payment,
            {
                "order_id": "o.id",
                "method": "o.payment_method",
                "status": "o.payment_status",
                "currency": "o.currency",
                "amount": "o.total",
                "authorized_amount": "o.amount_authorized",
                "captured_amount": "o.amount_captured",
                "attempts": "1",
                "created_at": "o.placed_at",
                "updated_at": "o.updated_at",
            },
            "FROM orders_order AS o WHERE o.id > %(k0)s AND o.id <= %(k1)s",
        )
        yield (
            "shipments",
            Shipment,
            {
                "order_id": "o.id",
                "warehouse_id": "(%(wids)s::bigint[])[1]",
                "carrier": "'demo'",
                "service": "o.shipping_method",
                "tracking_number": "'DMO' || lpad(o.id::text, 12, '0')",
                "status": "CASE WHEN o.status = 'in_transit' AND random() < 0.05 THEN 'exception' "
                "WHEN o.status = 'shipped' THEN 'label_created' "
                "WHEN o.status = 'in_transit' THEN 'in_transit' ELSE 'delivered' END",
                "weight_kg": "1.5",
                "created_at": "o.shipped_at",
                "delivered_at": "o.delivered_at",
            },
            "FROM orders_order AS o WHERE o.id > %(k0)s AND o.id <= %(k1)s AND o.shipped_at IS NOT NULL",
        )
        arrays = [(status, "ARRAY[" + ", ".join(f"'{s}'" for s in path) + "]") for status, path in TIMELINES.items()]
        timeline = _case("o.status", arrays, "ARRAY['placed']")
        yield (
            "events",
            OrderEvent,
            {
                "order_id": "o.id",
                "at": "LEAST(now(), o.placed_at + (e.n - 1) * interval '3 hours')",
                "actor": "CASE WHEN e.n = 1 THEN 'customer' WHEN e.status IN ('fulfilling', 'shipped', 'cancelled', "
                "'on_hold') THEN 'bench-manager' ELSE 'system' END",
                "from_status": "COALESCE(lag(e.status) OVER (PARTITION BY o.id ORDER BY e.n), '')",
                "to_status": "e.status",
                "note": "''",
            },
            f"""FROM orders_order AS o
               CROSS JOIN LATERAL unnest({timeline}) WITH ORDINALITY AS e(status, n)
               WHERE o.id > %(k0)s AND o.id <= %(k1)s""",
        )
