"""Without a replica configured, read_from_replica changes nothing: every query goes to the one database."""

import pytest

from oms.db_router import read_from_replica, reads_go_to_replica
from orders.models import Customer
from tests.factories import CustomerFactory


@pytest.mark.django_db
def test_reads_in_a_block_come_from_the_only_database():
    CustomerFactory(email="ann@example.com")

    with read_from_replica():
        found = Customer.objects.filter(email="ann@example.com")
        assert found.exists()
        assert found.db == "default"


@pytest.mark.django_db
def test_the_router_sends_everything_to_the_primary_when_no_replica_is_set(settings):
    settings.DATABASE_ROUTERS = ["oms.db_router.PrimaryReplicaRouter"]
    CustomerFactory(email="ann@example.com")

    with read_from_replica():
        assert reads_go_to_replica() is False
        assert Customer.objects.filter(email="ann@example.com").db == "default"
        assert Customer.objects.get(email="ann@example.com")
