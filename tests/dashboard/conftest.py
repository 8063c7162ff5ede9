import pytest

from tests.dashboard.roles import VIEWERS


@pytest.fixture
def offered_and_forced(staff_client, order_snapshot):
    """``offered_and_forced(role, allowed, order, page=url, marker=text, force=request, happened=check)``: the
    role opens ``page``, then sends the action's request anyway (``force(client, order)``).

    A role in ``allowed`` is offered the action (``marker`` on the page) and it is done: a redirect, and
    ``happened(order)``. Any other role sees the page only if it may view orders, is not offered the action and
    is refused (403) with nothing changed. Returns the page and the answer, for what a test checks besides.
    """

    def check(role, allowed, order, *, page: str, marker: str, force, happened=None):
        client = staff_client(role)
        shown = client.get(page)
        before = order_snapshot(order)
        response = force(client, order)
        if role in allowed:
            assert marker in shown.text
            assert response.status_code == 302
            assert happened is None or happened(order)
        else:
            assert shown.status_code == (200 if role in VIEWERS else 403)
            assert marker not in shown.text
            assert response.status_code == 403
            assert order_snapshot(order) == before
            assert happened is None or not happened(order)
        return shown, response

    return check
