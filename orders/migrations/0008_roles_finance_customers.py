from django.db import migrations


def forwards(apps, schema_editor):
    """The roles moved to the dashboard app: its migration 0001_roles makes them (orders imports no face)."""


class Migration(migrations.Migration):
    """Finance sets up business customers with their credit terms: the role gets orders.add_customer."""

    dependencies = [("orders", "0007_orderline_sku_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
