from django.db import migrations


def forwards(apps, schema_editor):
    """The roles moved to the dashboard app: its migration 0001_roles makes them (orders imports no face)."""


class Migration(migrations.Migration):
    """The dashboard's permissions (stock adjustments, credit terms, inquiries) join the role groups."""

    dependencies = [
        ("orders", "0004_notes_inquiries_feedback"),
        ("inventory", "0002_stock_permissions"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
