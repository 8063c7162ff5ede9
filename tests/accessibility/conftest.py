import pytest


@pytest.fixture(autouse=True)
def _lifecycle_setup(lifecycle_setup):
    """Cheap password hashing and the reference rows; see ``lifecycle_setup`` in tests/conftest.py."""
