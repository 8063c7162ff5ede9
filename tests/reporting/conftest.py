"""Fixtures the reporting tests share: returns and quality checks taken to a state by their real services."""

from tests.returns.conftest import delivered_order, return_in_state  # noqa: F401
from tests.shipping.test_quality_control import camera, inspector, packed  # noqa: F401
