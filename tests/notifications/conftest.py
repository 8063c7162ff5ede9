import pytest


@pytest.fixture(autouse=True)
def _setup(lifecycle_setup, fresh_cache):
    """Cheap password hashing, the reference rows (see ``lifecycle_setup``) and no rate-limit counts left over."""
