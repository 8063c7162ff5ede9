"""The transfer and cycle count pages pass axe-core's WCAG 2.1 A and AA checks, as the other main pages do."""

import pytest

from inventory.counts import cycle_count_create, cycle_count_record
from inventory.transfers import transfer_pick, transfer_ship
from tests.accessibility.test_axe import check_pages
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


def test_transfer_and_count_pages_meet_wcag_aa(
    page, live_server, browser_login, transactional_db, reference_data, stocked, draft, east, clerk
):
    mug = stocked("MUG-1", 20)
    shipped, waiting = draft({mug: 5}), draft({mug: 2})
    transfer_pick(transfer_id=shipped.pk, user=clerk)
    transfer_ship(transfer_id=shipped.pk, user=clerk)
    count = cycle_count_create(warehouse_id=east.pk, user=clerk)
    cycle_count_record(cycle_count_id=count.pk, counts={count.lines.get().pk: 14}, user=clerk)
    browser_login(page, StaffFactory(role="warehouse"))

    found = check_pages(
        page,
        f"{live_server.url}/dashboard/inventory",
        [
            "/transfers/",
            "/transfers/new/",
            f"/transfers/{shipped.number}/",
            f"/transfers/{waiting.number}/",
            "/counts/",
            "/counts/new/",
            f"/counts/{count.number}/",
            f"/counts/{count.number}/print/",
            "/?q=MUG",
            "/sku/MUG-1/",
        ],
    )

    assert found == []
