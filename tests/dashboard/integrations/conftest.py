from tests.webhooks.conftest import allow_private, receiver  # noqa: F401 - the local receiver of tests/webhooks
