from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Finance (and managers) review orders held by fraud screening (orders.review_fraud); the order desk (and
    managers) import orders from files (orders.import_orders)."""

    dependencies = [
        ("dashboard", "0005_webhook_permissions"),
        ("orders", "0015_import_and_fraud_screening"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
