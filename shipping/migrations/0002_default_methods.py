from decimal import Decimal

from django.db import migrations


def forwards(apps, schema_editor):
    ShippingMethod = apps.get_model("shipping", "ShippingMethod")
    defaults = [
        ("standard", "Standard (3–5 days)", Decimal("4.95"), Decimal("0.50"), 4, 100),
        ("express", "Express (1–2 days)", Decimal("14.95"), Decimal("1.00"), 1, 10),
    ]
    for code, name, flat, per_kg, days, priority in defaults:
        ShippingMethod.objects.get_or_create(code=code, defaults={
            "name": name, "flat_fee": flat, "per_kg": per_kg, "transit_days": days, "priority": priority})



class Migration(migrations.Migration):
    dependencies = [("shipping", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
