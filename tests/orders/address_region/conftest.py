import pytest

from orders.services import AddressInput


@pytest.fixture
def denver():
    """A US shipping address with its state, as the storefront or the order desk would enter it."""
    return AddressInput(
        name="Ann Example", line1="1600 Blake St", city="Denver", region="CO", postal_code="80202", country="US"
    )
