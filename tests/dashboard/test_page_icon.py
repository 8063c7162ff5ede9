"""Every page names its icon: browsers no longer ask for /favicon.ico, which had no page (a 404 on every visit)."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import StaffFactory

ICON = 'rel="icon" href="/static/oms/favicon.svg"'


def test_dashboard_and_portal_pages_link_the_icon_which_exists(staff_client):
    anonymous = Client()
    login = anonymous.get("/dashboard/login/").text
    portal = anonymous.get("/track/").text
    dashboard = staff_client("manager").get("/dashboard/").text

    assert ICON in dashboard and ICON in login and ICON in portal
    assert finders.find("oms/favicon.svg")


@pytest.mark.browser
def test_no_request_fails_when_a_page_loads(page, live_server, browser_login, transactional_db):
    # given
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    browser_login(page, StaffFactory(role="manager"))

    # when
    page.goto(f"{live_server.url}/dashboard/")
    page.goto(f"{live_server.url}/track/")
    page.wait_for_load_state("networkidle")

    # then
    assert failed == []
