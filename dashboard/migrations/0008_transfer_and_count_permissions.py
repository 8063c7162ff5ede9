from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """The warehouse (and managers) move stock between warehouses (inventory.transfer_stock) and run cycle
    counts (inventory.count_stock), and see both lists (view_transfer, view_cyclecount)."""

    dependencies = [
        ("dashboard", "0007_purchasing_permission"),
        ("inventory", "0007_transfers_and_cycle_counts"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
