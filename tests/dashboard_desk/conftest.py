import pytest

from tests.factories import StaffFactory

ROLES = ["order desk", "warehouse", "finance", "support", "manager", None]


@pytest.fixture(autouse=True)
def _lifecycle_setup(lifecycle_setup):
    """Cheap password hashing and the reference rows; see ``lifecycle_setup`` in tests/conftest.py."""


@pytest.fixture
def desk(staff_client):
    """The test client signed in as an order desk clerk."""
    return staff_client("order desk")


@pytest.fixture
def colleague(db):
    return StaffFactory(role="order desk", username="colleague", first_name="Cora", last_name="Lee")
