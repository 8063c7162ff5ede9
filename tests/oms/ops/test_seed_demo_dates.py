"""``seed_demo`` dates what it makes like a real shop's history: customers were customers before their first
order, and an old order's payment records carry the old order's dates, not today's."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from orders.models import Customer, Order
from payments.models import GatewayTransaction, Payment


@pytest.mark.django_db(transaction=True)
def test_customers_and_payments_of_old_orders_have_old_dates(reference_data, fast_password_hashing, settings):
    # given a development setup
    settings.DEBUG = True

    # when
    call_command("seed_demo", "--orders", "30", "--customers", "15", "--seed", "3", stdout=StringIO())

    # then: every customer joined before their first order, and not all on one day
    today = timezone.localdate()
    first_order = dict(
        Order.objects.values("customer_id").annotate(first=Min("placed_at")).values_list("customer_id", "first")
    )
    customers = list(Customer.objects.all())
    assert all(c.created_at < first_order.get(c.pk, timezone.now()) for c in customers)
    assert not any(timezone.localdate(c.created_at) == today for c in customers)
    assert len({timezone.localdate(c.created_at) for c in customers}) > len(customers) // 2
    # ... and the payments of orders placed more than a week ago are not dated today
    week_ago = timezone.now() - timedelta(days=7)
    old = Order.objects.filter(placed_at__lt=week_ago, updated_at__lt=week_ago)
    assert old.exists()
    payments = Payment.objects.filter(order__in=old)
    calls = GatewayTransaction.objects.filter(payment__order__in=old)
    assert payments.exists() and calls.exists()
    assert not payments.filter(updated_at__gte=week_ago).exists()
    assert not calls.filter(created_at__gte=week_ago).exists()
    for call in calls.select_related("payment__order"):
        assert call.created_at >= call.payment.order.placed_at
