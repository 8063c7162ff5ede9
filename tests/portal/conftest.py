import pytest
from django.core.cache import cache

from orders.links import tracking_path


@pytest.fixture(autouse=True)
def _lifecycle_setup(lifecycle_setup):
    """Cheap password hashing and the reference rows; see ``lifecycle_setup`` in tests/conftest.py."""


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Look-up failures are counted in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def link():
    """``link(order, name="order")``: the site path of a portal page of the order, under a fresh signed token."""
    return lambda order, name="order": tracking_path(order.number, name)


@pytest.fixture
def carrier_event():
    """``carrier_event(order, status)``: the demo carrier reports ``status`` for every parcel of the order."""
    from orders import services

    def report(order, status: str, **fields):
        for shipment in order.shipments.all():
            services.order_tracking_event(
                carrier="demo",
                payload={
                    "event_id": f"{shipment.pk}-{status}",
                    "tracking_number": shipment.tracking_number,
                    "status": status,
                    **fields,
                },
            )

    return report
