"""Who may take orders: order desk and managers; everyone else is refused, and nothing is placed."""

import pytest

from orders.models import Customer, Order
from tests.dashboard.entry.helpers import entry_post
from tests.dashboard.roles import ROLES
from tests.factories import CustomerFactory

ALLOWED = {"order desk", "manager"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path", ["/dashboard/orders/new/", "/dashboard/orders/new/products/", "/dashboard/orders/new/customers/"]
)
def test_entry_pages(staff_client, db, role, path):
    client = staff_client(role)

    response = client.get(path)

    assert response.status_code == (200 if role in ALLOWED else 403)


@pytest.mark.parametrize("role", ROLES)
def test_forced_place_is_refused(staff_client, mug, commit, role):
    customer = CustomerFactory()
    client = staff_client(role)

    with commit():
        response = client.post("/dashboard/orders/new/", entry_post(customer=customer))

    if role in ALLOWED:
        assert response.status_code == 302
        assert Order.objects.count() == 1
    else:
        assert response.status_code == 403
        assert Order.objects.count() == 0
        assert list(Customer.objects.all()) == [customer]


def test_anonymous_is_sent_to_login(client, db):
    response = client.post("/dashboard/orders/new/", {})

    assert response.status_code == 302
    assert response.url.startswith("/dashboard/login/")
