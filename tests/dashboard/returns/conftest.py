from tests.returns.conftest import delivered_order, return_in_state  # noqa: F401  (returns in every state)
