"""The dashboard's lists read the replica; the order page, which people act on, reads the primary."""

import pytest

from tests.factories import OrderFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def manager(transactional_db, elsewhere, fast_password_hashing):
    """A manager saved before the replica stops replaying (ask for it before ``replica``)."""
    return elsewhere(lambda: StaffFactory(role="manager"))


def test_the_order_list_reads_the_replica_and_the_order_page_the_primary(manager, replica, elsewhere, client):
    # given an order placed a moment ago, not yet replayed on the replica
    order = elsewhere(lambda: OrderFactory())
    client.force_login(manager)

    # then the list (which may be a moment old) does not show it yet
    listed = client.get("/dashboard/orders/")
    assert listed.status_code == 200
    assert order.number not in listed.content.decode()

    # and the order page shows it
    assert client.get(f"/dashboard/orders/{order.number}/").status_code == 200
