"""An index for the order list's product filter: orders with a line of a given SKU, any case (PostgreSQL only).

``sku__iexact`` compares ``UPPER(sku::text)``, so the index is on that expression (with the order id, so
the orders are found from the index alone). Like 0006 it is SQL, not a model index, and SQLite (the small
demo database) gets none.
"""

from django.db import migrations

INDEXES = {
    "orderline_sku_upper_idx": "ON orders_orderline (UPPER(sku::text), order_id)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_dashboard_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
