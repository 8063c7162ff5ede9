import pytest

from tests.returns.conftest import delivered_order, return_in_state  # noqa: F401  (returns for the portal's pages)


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_cache):
    """No rate-limit counts left over from another test."""


@pytest.fixture
def page_then_forced(client, link):
    """``page_then_forced(order, action, data)``: the order page as the customer sees it, then ``action``
    (``cancel``, ``inquiry``, ``feedback``) posted anyway, following the redirect: the text of both."""

    def run(order, action: str, data: dict) -> tuple[str, str]:
        page = client.get(link(order)).content.decode()
        answer = client.post(link(order, action), data, follow=True).content.decode()
        return page, answer

    return run
