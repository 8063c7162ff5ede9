"""On-account invoices can be settled: a status, the day the money arrived, a transaction kind; an index
for the unpaid invoices queue."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0002_payment_credit_reserved'),
    ]

    operations = [
        migrations.AddField(
            model_name='payment',
            name='settled_on',
            field=models.DateField(blank=True, help_text="On account: the day the customer's payment of the invoice arrived.", null=True),
        ),
        migrations.AlterField(
            model_name='gatewaytransaction',
            name='kind',
            field=models.CharField(choices=[('authorize', 'Authorize'), ('capture', 'Capture'), ('void', 'Void'), ('refund', 'Refund'), ('settle', 'Invoice paid')], max_length=20),
        ),
        migrations.AlterField(
            model_name='payment',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('awaiting_funds', 'Awaiting funds'), ('authorized', 'Authorized'), ('captured', 'Captured'), ('declined', 'Declined'), ('voided', 'Voided'), ('refunded', 'Refunded'), ('settled', 'Settled (invoice paid)')], default='pending', max_length=20),
        ),
        migrations.AddIndex(
            model_name='payment',
            index=models.Index(condition=models.Q(('method', 'on_account'), ('status__in', ['authorized', 'captured'])), fields=['order'], name='payment_open_invoice_idx'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'settled'), _negated=True), models.Q(('method', 'on_account'), ('settled_on__isnull', False)), _connector='OR'), name='payment_settled_is_an_on_account_invoice_with_a_date'),
        ),
    ]
