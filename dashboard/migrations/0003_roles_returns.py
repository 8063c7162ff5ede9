from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Returns: support authorizes and rejects, warehouse receives and inspects, finance refunds, the manager all."""

    dependencies = [
        ("dashboard", "0002_roles_quality_control"),
        ("returns", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
