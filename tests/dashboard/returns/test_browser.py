"""In the browser: the warehouse receives and inspects a returned mug, finance sees the refund preview and refunds."""

import re

import pytest
from playwright.sync_api import expect

from returns.models import ReturnRequest
from tests.factories import StaffFactory


@pytest.mark.browser
def test_warehouse_inspects_and_finance_refunds(page, live_server, browser_login, screenshot, return_in_state):
    # given a return whose parcel arrived
    r = return_in_state("received", quantity=2)
    browser_login(page, StaffFactory(role="warehouse", username="walt"))

    # the warehouse finds it in its queue and records the inspection
    page.goto(f"{live_server.url}/dashboard/returns/?queue=inspect")
    page.get_by_role("link", name=r.number).click()
    page.get_by_label("Damaged").check()
    page.get_by_label("Notes on MUG-1").fill("Chipped rim")
    screenshot(page, "dashboard-return-inspect")
    page.get_by_role("button", name="Record inspection").click()
    expect(page.get_by_text(f"Return {r.number}: inspected.")).to_be_visible()

    # finance sees what will be refunded before it is, then refunds
    page.context.clear_cookies()
    browser_login(page, StaffFactory(role="finance", username="fiona"))
    page.goto(f"{live_server.url}/dashboard/returns/{r.number}/")
    expect(page.get_by_role("heading", name="Refund preview")).to_be_visible()
    screenshot(page, "dashboard-return-refund-preview")
    page.get_by_role("button", name=re.compile("^Refund")).click()
    expect(page.get_by_text(f"Return {r.number}: refunded.")).to_be_visible()
    assert ReturnRequest.objects.get(pk=r.pk).refund_total > 0
