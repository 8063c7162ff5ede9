from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0016_ship_partial_backorders")]

    operations = [
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
                    ("review_fraud", "Can review orders held for fraud and edit the risk rules"),
                    ("import_orders", "Can import orders from files"),
                    ("change_lines", "Can change or cancel part of an order's lines"),
                ],
            },
        ),
    ]
