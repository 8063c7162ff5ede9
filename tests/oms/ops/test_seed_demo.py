"""``manage.py seed_demo``: demo data made through the services, in every state, ready to log in to."""

import random
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from dashboard.management.demo.data import DEMO_PASSWORD, SCENARIOS, STAFF
from dashboard.management.demo.orders import scenarios_draw
from inventory.models import StockItem, StockMovement, Warehouse
from oms.models import Storefront
from orders.models import Customer, Order, OrderEvent, OrderStatus, TaxRate

RESTING_STATES = {
    OrderStatus.CREDIT_APPROVED,  # awaiting a bank transfer
    OrderStatus.CONFIRMED,
    OrderStatus.FULFILLING,
    OrderStatus.SHIPPED,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
    OrderStatus.ON_HOLD,
    OrderStatus.CANCELLED,
}


def seed(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_fills_every_state_through_the_services(reference_data, fast_password_hashing, mailoutbox, settings):
    # Given: a development setup
    settings.DEBUG = True

    # When
    out, err = seed("--orders", "40", "--customers", "20", "--seed", "7")

    # Then: orders rest in every state, each held for its own reason, over several channels and weeks
    assert "Off plan" not in err
    assert Order.objects.count() == 40
    assert set(Order.objects.values_list("status", flat=True)) == RESTING_STATES
    held = set(Order.objects.filter(status=OrderStatus.ON_HOLD).values_list("hold_reason", flat=True))
    assert {"out_of_stock", "credit", "payment_failed"} <= held
    assert Order.objects.filter(status=OrderStatus.CREDIT_APPROVED, payment_status="awaiting_funds").exists()
    assert len(set(Order.objects.values_list("channel", flat=True))) >= 3
    oldest = Order.objects.order_by("placed_at").first().placed_at
    assert oldest < timezone.now() - timezone.timedelta(days=20)
    assert not OrderEvent.objects.filter(at__gt=timezone.now()).exists()
    # ... made by the services: a timeline that starts at placement, a stock ledger, customer emails
    for order in Order.objects.prefetch_related("events"):
        events = list(order.events.all())
        assert events[0].to_status == OrderStatus.PLACED and events[0].at == order.placed_at
        assert events[-1].at <= timezone.now()
    assert StockMovement.objects.filter(kind="ship").exists()
    assert all(0 <= item.reserved <= item.on_hand for item in StockItem.objects.all())
    assert any(m.subject.endswith("confirmed") for m in mailoutbox)
    assert any(m.subject.endswith("was delivered") for m in mailoutbox)
    # ... around the orders: warehouses, tax rates, customers on account
    assert Warehouse.objects.count() == 3
    assert TaxRate.objects.count() >= 3
    assert Customer.objects.filter(payment_terms="on_account", credit_limit__gt=0).exists()

    # Then: one staff user per role, sharing the printed password, and an admin
    assert DEMO_PASSWORD in out
    for username, (role, *_) in STAFF.items():
        user = User.objects.get(username=username)
        assert user.is_staff and list(user.groups.values_list("name", flat=True)) == [role]
        assert username in out
    assert User.objects.get(username="desk").check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser

    # Then: the printed storefront key works against the API and shows that storefront's orders only
    key = re.search(r"Storefront API key: (sk_\S+)", out).group(1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.get("/api/v1/orders/?page_size=500")
    assert response.status_code == 200
    storefront = Storefront.objects.get()
    assert response.json()["count"] == Order.objects.filter(storefront=storefront).count() > 0
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key[:-2]}xx")
    assert api.get("/api/v1/orders/").status_code == 401

    # When it runs again with --if-empty, nothing changes
    again, _ = seed("--if-empty")
    assert "nothing to do" in again
    assert Order.objects.count() == 40
    assert Storefront.objects.count() == 1


@pytest.mark.parametrize("count", [0, 5, 12, 13, 40, 300, 1001])
def test_scenarios_cover_every_state_in_their_shares(count):
    scenarios = scenarios_draw(random.Random(1), count)

    assert len(scenarios) == count
    if count >= len(SCENARIOS):
        assert set(scenarios) == set(SCENARIOS)


def test_same_seed_same_plan():
    assert scenarios_draw(random.Random(3), 60) == scenarios_draw(random.Random(3), 60)
    assert scenarios_draw(random.Random(3), 60) != scenarios_draw(random.Random(4), 60)
