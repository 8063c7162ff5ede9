from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """The warehouse (and managers) manage suppliers, purchase orders and reordering (inventory.manage_purchasing)."""

    dependencies = [
        ("dashboard", "0006_fraud_review_and_import_permissions"),
        ("inventory", "0006_purchasing"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
