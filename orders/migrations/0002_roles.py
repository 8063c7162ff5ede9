from django.db import migrations


def forwards(apps, schema_editor):
    """The roles moved to the dashboard app: its migration 0001_roles makes them (orders imports no face)."""

class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("inventory", "0001_initial"),
        ("payments", "0001_initial"),
        ("shipping", "0002_default_methods"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
