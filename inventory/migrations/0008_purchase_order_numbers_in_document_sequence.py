"""Purchase order numbers come from the stock documents' sequence (series "PO"), as transfers' and counts' do:
the year's last number moves over, so numbering carries on without a repeat."""

from django.db import migrations


def move_po_sequences(apps, schema_editor):
    old = apps.get_model("inventory", "PurchaseOrderSequence")
    new = apps.get_model("inventory", "StockDocumentSequence")
    for row in old.objects.all():
        sequence, _ = new.objects.get_or_create(series="PO", year=row.year)
        if sequence.last < row.last:
            sequence.last = row.last
            sequence.save(update_fields=["last"])


def move_back(apps, schema_editor):
    old = apps.get_model("inventory", "PurchaseOrderSequence")
    new = apps.get_model("inventory", "StockDocumentSequence")
    for row in new.objects.filter(series="PO"):
        old.objects.update_or_create(year=row.year, defaults={"last": row.last})


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0007_transfers_and_cycle_counts"),
    ]

    operations = [
        migrations.RunPython(move_po_sequences, move_back),
        migrations.DeleteModel(name="PurchaseOrderSequence"),
    ]
