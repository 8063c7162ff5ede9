import hashlib
import re

from django.db import migrations

KEY = re.compile(r"^(payment-\d+-authorize-)(.*)$", re.S)
DIGEST = re.compile(r"^[0-9a-f]{24}$")


def forwards(apps, schema_editor):
    """Authorization keys named the card token in clear; keep only a digest of it (payments.services.token_digest)."""
    GatewayTransaction = apps.get_model("payments", "GatewayTransaction")
    for tx in GatewayTransaction.objects.filter(kind="authorize").only("pk", "idempotency_key").iterator():
        match = KEY.match(tx.idempotency_key)
        if match is None or DIGEST.match(match.group(2)):
            continue
        digest = hashlib.sha256(match.group(2).encode()).hexdigest()[:24]
        GatewayTransaction.objects.filter(pk=tx.pk).update(idempotency_key=match.group(1) + digest)


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_payment_settled")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
