"""Reads that opt in go to the replica, unless they must see the primary: in a transaction, after a write."""

import pytest
from django.db import transaction

from oms.db_router import read_from_replica
from orders.models import Address, Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _exists(email: str) -> bool:
    return Customer.objects.filter(email=email).exists()


@read_from_replica()
def _exists_decorated(email: str) -> bool:
    return _exists(email)


def _exists_in_block(email: str) -> bool:
    with read_from_replica():
        return _exists(email)


@pytest.mark.parametrize("read", [_exists_in_block, _exists_decorated], ids=["with block", "decorator"])
def test_an_opted_in_read_comes_from_the_replica(replica, elsewhere, read):
    # given a customer another client saved a moment ago, not yet replayed on the replica
    elsewhere(lambda: CustomerFactory(email="new@example.com"))

    # then a read that opted in does not see it yet, and a plain read does
    assert read("new@example.com") is False
    assert _exists("new@example.com") is True


@pytest.fixture
def old_customer(transactional_db, elsewhere):
    """A customer another client saved before the replica stopped replaying (ask for it before ``replica``)."""
    return elsewhere(lambda: CustomerFactory(email="old@example.com", name="Old Name"))


def test_the_replica_serves_what_it_has_replayed(old_customer, replica, elsewhere):
    elsewhere(lambda: CustomerFactory(email="new@example.com"))

    with read_from_replica():
        emails = list(Customer.objects.values_list("email", flat=True))

    assert emails == ["old@example.com"]


def test_a_read_after_the_clients_own_write_comes_from_the_primary(replica):
    # given this client just saved a customer
    CustomerFactory(email="mine@example.com")

    # then its next read, even opted in, sees it
    assert _exists_in_block("mine@example.com") is True


def test_without_a_sticky_window_the_next_read_goes_back_to_the_replica(replica, settings):
    settings.OMS_REPLICA_STICKY_SECONDS = 0
    CustomerFactory(email="mine@example.com")

    assert _exists_in_block("mine@example.com") is False


def test_a_read_inside_a_transaction_comes_from_the_primary(replica, elsewhere):
    elsewhere(lambda: CustomerFactory(email="new@example.com"))

    with transaction.atomic():
        assert _exists_in_block("new@example.com") is True


def test_a_write_inside_an_opted_in_block_goes_to_the_primary(replica):
    # when code that reads from the replica also saves (the replica would refuse: it is read-only)
    with read_from_replica():
        customer = Customer.objects.create(email="saved@example.com", name="Saved")
        Customer.objects.filter(pk=customer.pk).update(name="Renamed")

    # then the primary has it
    assert Customer.objects.get(email="saved@example.com").name == "Renamed"


def test_an_object_read_from_the_replica_can_be_changed_and_linked(old_customer, replica):
    with read_from_replica():
        customer = Customer.objects.get(email="old@example.com")
    assert customer._state.db == "replica"

    # when it is saved, and a new row points to it
    customer.name = "New Name"
    customer.save()
    address = Address.objects.create(
        customer=customer, name="x", line1="1 Main St", city="Berlin", postal_code="10115", country="DE"
    )

    # then the primary has both
    assert Customer.objects.get(pk=customer.pk).name == "New Name"
    assert Address.objects.get(pk=address.pk).customer_id == customer.pk
