import pytest

from tests.factories import StaffFactory


@pytest.fixture
def desk(staff_client):
    """The test client signed in as an order desk clerk."""
    return staff_client("order desk")


@pytest.fixture
def colleague(db):
    return StaffFactory(role="order desk", username="colleague", first_name="Cora", last_name="Lee")
