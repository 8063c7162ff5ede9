"""Staff sign in to the dashboard; everyone else is sent to the login page or refused."""

import pytest

from tests.factories import StaffFactory


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/dashboard/orders/")

    assert response.status_code == 302
    assert response.url.startswith("/dashboard/login/?next=/dashboard/orders/")


def test_wrong_password_shows_error_and_signs_nobody_in(client, db, fast_password_hashing):
    StaffFactory(username="desk1", role="order desk")

    response = client.post("/dashboard/login/", {"username": "desk1", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(staff_client):
    client = staff_client("order desk")

    response = client.post("/dashboard/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.browser
def test_sign_in_page_in_browser(page, live_server, browser_login, screenshot, fast_password_hashing):
    user = StaffFactory(username="desk2", role="order desk")
    page.goto(f"{live_server.url}/dashboard/login/")
    screenshot(page, "dashboard-login")

    browser_login(page, user)

    assert page.url.startswith(f"{live_server.url}/dashboard/")
