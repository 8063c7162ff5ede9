"""The main pages pass axe-core's WCAG 2.1 A and AA checks (labels, contrast, names, landmarks, ARIA).

axe-core (bundled by axe-playwright-python) runs inside Debian's chromium on each page as a user sees it.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from orders.models import Inquiry
from portal.links import tracking_token
from tests.factories import OrderFactory, StaffFactory, return_request_open

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    """One line per broken rule on the page: rule, impact and the first offending elements."""
    result = Axe().run(page, options=WCAG_AA).response
    return [
        f"{page.url}: {v['id']} ({v['impact']}) on {', '.join(n['target'][0] for n in v['nodes'][:3])}: {v['help']}"
        for v in result["violations"]
    ]


def check_pages(page, base: str, paths: list[str], *, not_found: tuple[str, ...] = ()) -> list[str]:
    """Open each page (200, or 404 for those in ``not_found``) and collect its violations."""
    found = []
    for path in [*paths, *not_found]:
        response = page.goto(base + path)
        assert response.status == (404 if path in not_found else 200), f"{path} answered {response.status}"
        found += violations(page)
    return found


def test_dashboard_pages_meet_wcag_aa(page, live_server, browser_login, order_in_state, warehouse, commit):
    confirmed = order_in_state("confirmed")
    fulfilling = order_in_state("fulfilling")
    shipped = order_in_state("shipped")
    held = order_in_state("on_hold")
    with commit():
        declined = OrderFactory(payment_token="tok_decline")  # the card-retry form shows
    Inquiry.objects.create(order=shipped, message="Where is my parcel?")
    delivered = order_in_state("delivered")
    with commit():
        returned = return_request_open(delivered)
    sku = confirmed.lines.first().sku
    browser_login(page, StaffFactory(role="manager"))

    found = check_pages(
        page,
        f"{live_server.url}/dashboard",
        [
            "/",
            "/orders/",
            "/orders/?status=on_hold",
            f"/orders/{confirmed.number}/",
            f"/orders/{shipped.number}/",
            f"/orders/{held.number}/",
            f"/orders/{declined.number}/",
            f"/orders/{confirmed.number}/edit/",
            "/orders/new/",
            "/customers/",
            "/customers/new/",
            f"/customers/{confirmed.customer_id}/",
            "/inventory/",
            "/inventory/low/",
            f"/inventory/sku/{sku}/",
            "/fulfillment/",
            f"/fulfillment/pick-list/?orders={fulfilling.number}",
            f"/orders/{fulfilling.number}/pack/",
            "/fulfillment/quality-checks/",
            "/returns/",
            f"/returns/{returned.number}/",
            f"/orders/{delivered.number}/",
            f"/orders/{delivered.number}/returns/new/",
            *[f"/reports/{group}" for group in ["", "flow/", "exceptions/", "customers/", "inventory/", "team/"]],
            "/reports/exports/",
        ],
    )

    assert found == [], "\n".join(found)


def test_dashboard_login_meets_wcag_aa(page, live_server, db):
    found = check_pages(page, live_server.url, ["/dashboard/login/"])

    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width", [390, 1366], ids=["phone", "desktop"])
def test_portal_pages_meet_wcag_aa(page, live_server, order_in_state, width):
    page.set_viewport_size({"width": width, "height": 900})
    confirmed = order_in_state("confirmed")
    delivered = order_in_state("delivered")

    found = check_pages(
        page,
        f"{live_server.url}/track",
        [
            "/",
            f"/o/{tracking_token(confirmed.number)}/",
            f"/o/{tracking_token(delivered.number)}/",
            f"/o/{tracking_token(delivered.number)}/return/",
        ],
        not_found=("/o/not-a-valid-token/",),
    )

    assert found == [], "\n".join(found)
