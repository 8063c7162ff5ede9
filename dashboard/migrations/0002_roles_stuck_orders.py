from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Managers see the new "stuck" queue (orders.view_stuck_orders)."""

    dependencies = [("dashboard", "0001_roles"), ("orders", "0011_stuck_permission")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
