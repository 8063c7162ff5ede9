"""Password guessing is cut short: per user name and per client address, on every staff login.

The dashboard's login form, the admin's and ``POST /api/v1/auth/token/`` count failures together; after
``AXES_FAILURE_LIMIT`` of them the answer is 429 with Retry-After, even for the right password.
"""

import pytest
from rest_framework.test import APIClient

from oms.models import StaffToken
from tests.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")

RIGHT = "correct-horse-battery"
FORMS = ["/dashboard/login/", "/admin/login/"]


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return settings


@pytest.fixture
def desk(db):
    return StaffFactory(username="desk1", role="order desk", is_superuser=True)  # superuser: the admin lets them in


def sign_in(client, path: str, username: str, password: str, address: str = "10.0.0.1"):
    if path.startswith("/api/"):
        return client.post(path, {"username": username, "password": password}, format="json", REMOTE_ADDR=address)
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", FORMS)
def test_a_login_form_locks_a_user_name_out_after_the_limit(path, client, desk, limits):
    # given two wrong passwords, each refused as usual
    for _ in range(2):
        assert sign_in(client, path, "desk1", "guess").status_code == 200

    # when the third one fails
    third = sign_in(client, path, "desk1", "guess")

    # then the form answers 429 with when to come back, and the right password does not get in either
    assert third.status_code == 429
    assert third["Retry-After"] == str(limits.AXES_COOLOFF_TIME.seconds)
    assert "Too many sign-in attempts" in third.text
    right = sign_in(client, path, "desk1", RIGHT, address="10.9.9.9")  # from another address too
    assert right.status_code == 429
    assert not signed_in(client)


def test_one_address_guessing_many_user_names_is_locked_out(client, desk, limits):
    # given failures for three user names from one address
    for name in ("ann", "bob", "cid"):
        sign_in(client, "/dashboard/login/", name, "guess", address="10.0.0.7")

    # when the right password is tried from that address, and then from another
    same = sign_in(client, "/dashboard/login/", "desk1", RIGHT, address="10.0.0.7")
    other = sign_in(client, "/dashboard/login/", "desk1", RIGHT, address="10.0.0.8")

    # then only the other address gets in
    assert same.status_code == 429
    assert other.status_code == 302
    assert signed_in(client)


def test_a_success_before_the_limit_starts_the_count_again(client, desk, limits):
    # given two failures, then a good sign-in and a sign-out
    for _ in range(2):
        sign_in(client, "/dashboard/login/", "desk1", "guess")
    assert sign_in(client, "/dashboard/login/", "desk1", RIGHT).status_code == 302
    client.post("/dashboard/logout/")

    # when two more failures follow
    for _ in range(2):
        assert sign_in(client, "/dashboard/login/", "desk1", "guess").status_code == 200

    # then the user is not locked out
    assert sign_in(client, "/dashboard/login/", "desk1", RIGHT).status_code == 302


def test_the_token_endpoint_locks_out_with_a_json_429(desk, limits):
    # given
    client = APIClient()
    for _ in range(2):
        assert sign_in(client, "/api/v1/auth/token/", "desk1", "guess").status_code == 400

    # when
    third = sign_in(client, "/api/v1/auth/token/", "desk1", "guess")
    right = sign_in(client, "/api/v1/auth/token/", "desk1", RIGHT, address="10.9.9.9")

    # then
    assert third.status_code == 429
    assert third["Retry-After"] == str(limits.AXES_COOLOFF_TIME.seconds)
    assert third.json()["code"] == "throttled"
    assert right.status_code == 429
    assert "token" not in right.json()
    assert not StaffToken.objects.exists()


def test_guesses_on_the_api_and_on_the_form_count_together(client, desk, limits):
    # given two failures through the API
    for _ in range(2):
        sign_in(APIClient(), "/api/v1/auth/token/", "desk1", "guess")

    # when the third is on the dashboard's form
    response = sign_in(client, "/dashboard/login/", "desk1", "guess")

    # then
    assert response.status_code == 429
