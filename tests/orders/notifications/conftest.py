import pytest


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_cache):
    """No rate-limit counts left over from another test."""
