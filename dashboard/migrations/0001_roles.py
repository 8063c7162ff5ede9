from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """The staff roles (groups with their permissions); run again by later migrations when a role changes."""

    dependencies = [
        ("orders", "0010_reliability_ownership_terms"),
        ("inventory", "0002_stock_permissions"),
        ("payments", "0005_receipts_invoices"),
        ("shipping", "0002_default_methods"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
