"""Emails due until sent (the reconciler), the managers' stuck queue, customers owned by a storefront with each
order's own contact, and invoice payment terms."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import orders.models.customers


class Migration(migrations.Migration):
    dependencies = [
        ("oms", "0003_staff_token"),
        ("orders", "0009_address_region"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="notification",
            name="failed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("closed_at", None)), fields=["created_at"], name="notification_due_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("failed_at__isnull", False)), fields=["failed_at"], name="notification_failed_idx"
            ),
        ),
        migrations.RunSQL(
            # Emails already handled are closed; one never sent before this release is not re-sent now.
            "UPDATE orders_notification SET closed_at = COALESCE(sent_at, CURRENT_TIMESTAMP)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterModelOptions(
            name="order",
            options={
                "ordering": ["-placed_at", "-pk"],
                "permissions": [
                    ("start_fulfillment", "Can start fulfillment"),
                    ("ship_order", "Can ship orders"),
                    ("complete_order", "Can complete orders"),
                    ("cancel_order", "Can cancel orders"),
                    ("hold_order", "Can put orders on hold"),
                    ("release_order", "Can release held orders"),
                    ("mark_paid", "Can record received payments"),
                    ("set_credit_terms", "Can change payment terms and credit limits"),
                    ("view_stuck_orders", "Can see orders that automatic work left behind"),
                ],
            },
        ),
        migrations.AddField(
            model_name="customer",
            name="shared_with",
            field=models.ManyToManyField(
                blank=True,
                help_text="Other storefronts that may place on-account orders for this customer.",
                related_name="shared_customers",
                to="oms.storefront",
            ),
        ),
        migrations.AddField(
            model_name="customer",
            name="storefront",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="oms.storefront",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="contact_email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="order",
            name="contact_name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="order",
            name="contact_phone",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.RunSQL(
            # Orders placed before keep the contact details their customer has now; customers made before belong to
            # the storefront of their first storefront order (staff-made ones with none stay the shop's own).
            [
                "UPDATE orders_order SET"
                " contact_name = (SELECT c.name FROM orders_customer c WHERE c.id = orders_order.customer_id),"
                " contact_email = (SELECT c.email FROM orders_customer c WHERE c.id = orders_order.customer_id),"
                " contact_phone = (SELECT c.phone FROM orders_customer c WHERE c.id = orders_order.customer_id)",
                "UPDATE orders_customer SET storefront_id = (SELECT o.storefront_id FROM orders_order o"
                " WHERE o.customer_id = orders_customer.id AND o.storefront_id IS NOT NULL"
                " ORDER BY o.placed_at, o.id LIMIT 1)",
            ],
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="customer",
            name="payment_terms_days",
            field=models.PositiveSmallIntegerField(
                default=orders.models.customers.default_payment_terms_days,
                help_text="On account: an invoice is due this many days after it is issued.",
                validators=[django.core.validators.MaxValueValidator(365)],
            ),
        ),
    ]
