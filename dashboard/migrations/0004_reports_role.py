from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Managers and finance may open the Reports pages (``reporting.view_reports``)."""

    dependencies = [
        ("dashboard", "0003_roles_returns"),
        ("reporting", "0001_reporting_tables"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
