from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """The order desk (and managers) change an order's lines and cancel part of it (orders.change_lines)."""

    dependencies = [
        ("dashboard", "0008_transfer_and_count_permissions"),
        ("orders", "0017_change_lines_permission"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
