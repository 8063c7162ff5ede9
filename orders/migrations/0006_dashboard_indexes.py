"""Indexes the staff order list and home page need to stay fast with 100,000+ orders (PostgreSQL only).

They are created with SQL rather than ``AddIndex`` because some are partial, expression or trigram indexes
that the models do not declare; on SQLite (the small demo database) nothing is done. The trigram indexes
need the ``pg_trgm`` extension (trusted since PostgreSQL 13, so a database owner may create it); without
it the name and email searches still work, reading the customer table in full.
"""

from django.db import DatabaseError, migrations, transaction

UNSHIPPED = "('placed','verified','credit_approved','paid','confirmed','fulfilling','on_hold')"
INDEXES = {
    # sort by total
    "order_total_idx": "ON orders_order (total, id)",
    # sort by ship-by date
    "order_ship_by_idx": "ON orders_order (promised_ship_date, placed_at, id)",
    # overdue queue: not shipped by the promised date, or not delivered by the estimated date
    "order_unshipped_ship_by_idx": f"ON orders_order (promised_ship_date) WHERE status IN {UNSHIPPED}",
    "order_in_transit_eta_idx": "ON orders_order (estimated_delivery_date) WHERE status IN ('shipped','in_transit')",
    # home: shipped today
    "order_shipped_at_idx": "ON orders_order (shipped_at) WHERE shipped_at IS NOT NULL",
    # carrier exception queue: the few shipments in exception, by order
    "shipment_exception_order_idx": "ON shipping_shipment (order_id) WHERE status = 'exception'",
    # customer filter, newest first
    "order_customer_placed_idx": "ON orders_order (customer_id, placed_at DESC)",
}
TRIGRAM_INDEXES = {
    # search: ILIKE '%...%' on customer names and emails (Django's icontains compares UPPER() values)
    "customer_name_trgm_idx": "ON orders_customer USING gin (UPPER(name) gin_trgm_ops)",
    "customer_email_trgm_idx": "ON orders_customer USING gin (UPPER(email) gin_trgm_ops)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:  # no privilege, or the extension is not installed: no trigram indexes
        print(f"\n  pg_trgm not available ({exc.__class__.__name__}): customer search runs without trigram indexes")
        return
    for name, definition in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, *TRIGRAM_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_roles_dashboard"), ("shipping", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
