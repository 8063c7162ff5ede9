from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """The warehouse role (and the manager) may perform quality checks before shipping (shipping.perform_qc)."""

    dependencies = [
        ("dashboard", "0001_roles"),
        ("shipping", "0003_quality_checks"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
