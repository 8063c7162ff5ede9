from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Managers may manage every storefront's webhook subscriptions (webhooks.manage_webhooks)."""

    dependencies = [
        ("dashboard", "0004_reports_role"),
        ("webhooks", "0001_webhooks"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
