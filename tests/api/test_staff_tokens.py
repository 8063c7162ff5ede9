"""Staff API tokens: stored as a hash only, and they expire."""

import hashlib
from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from oms.models import StaffToken
from tests.factories import StaffFactory


def issue(username: str = "sam"):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": "correct-horse-battery"}, format="json"
    )


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_expires_after_the_configured_hours(db, settings):
    # given
    settings.OMS_STAFF_TOKEN_TTL_HOURS = 2
    StaffFactory(role="support", username="sam")
    before = timezone.now()

    # when
    body = issue().json()

    # then the answer says when it expires, two hours on
    expires_at = parse_datetime(body["expires_at"])
    assert before + timedelta(hours=2) <= expires_at <= timezone.now() + timedelta(hours=2)
    assert with_token(body["token"]).get("/api/v1/orders/").status_code == 200


def test_an_expired_token_is_refused(db):
    # given a token whose time is up
    StaffFactory(role="support", username="sam")
    key = issue().json()["token"]
    StaffToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    # when
    response = with_token(key).get("/api/v1/orders/")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_only_a_hash_of_the_key_is_stored(db):
    # given
    StaffFactory(role="support", username="sam")

    # when
    key = issue().json()["token"]

    # then nothing stored holds the key itself
    stored = StaffToken.objects.get()
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(StaffToken.objects.values()))


def test_each_exchange_gives_a_new_token_and_both_work(db):
    # given
    StaffFactory(role="support", username="sam")

    # when
    first, second = issue().json()["token"], issue().json()["token"]

    # then
    assert first != second
    assert with_token(first).get("/api/v1/orders/").status_code == 200
    assert with_token(second).get("/api/v1/orders/").status_code == 200


def test_a_token_stops_working_when_its_user_is_deactivated(db):
    # given
    user = StaffFactory(role="support", username="sam")
    key = issue().json()["token"]

    # when
    user.is_active = False
    user.save()

    # then
    assert with_token(key).get("/api/v1/orders/").status_code == 401
