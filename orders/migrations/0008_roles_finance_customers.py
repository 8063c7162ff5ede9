from django.db import migrations


def forwards(apps, schema_editor):
    from orders.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Finance sets up business customers with their credit terms: the role gets orders.add_customer."""

    dependencies = [("orders", "0007_orderline_sku_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
