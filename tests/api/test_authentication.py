"""Who gets in: storefront keys (Bearer), staff tokens (Token), and the token endpoint."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from oms.models import StaffToken
from orders.models import Order
from tests.factories import StaffFactory

STOREFRONT_ENDPOINTS = [
    ("get", "/api/v1/orders/"),
    ("post", "/api/v1/orders/"),
    ("get", "/api/v1/products/"),
    ("get", "/api/v1/orders/ABCDEFGH/"),
    ("post", "/api/v1/orders/ABCDEFGH/cancel/"),
]
BAD_CREDENTIALS = [
    None,
    "Bearer",
    "Bearer sk_nope",
    "Bearer sk_000000000000_wrong",
    "Bearer not-a-key",
    "Bearer sk_a_b extra",
    "Token 0123456789abcdef0123456789abcdef01234567",
]


@pytest.mark.parametrize("credentials", BAD_CREDENTIALS)
@pytest.mark.parametrize(("method", "path"), STOREFRONT_ENDPOINTS)
def test_no_or_wrong_key_is_401(method, path, credentials, mug, order_body):
    # given
    client = APIClient()
    if credentials:
        client.credentials(HTTP_AUTHORIZATION=credentials)

    # when
    response = getattr(client, method)(path, order_body if method == "post" else None, format="json")

    # then
    assert response.status_code == 401
    assert Order.objects.count() == 0


def test_a_key_with_the_right_prefix_but_wrong_secret_is_401(storefront, mug):
    # given
    prefix = storefront.key.split("_")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer sk_{prefix}_not-the-secret")

    # when / then
    assert client.get("/api/v1/orders/").status_code == 401


def test_a_deactivated_storefront_is_401(storefront, api):
    # given
    storefront.is_active = False
    storefront.save()

    # when / then
    assert api.get("/api/v1/orders/").status_code == 401


def test_staff_exchange_username_and_password_for_a_working_token(db):
    # given
    user = StaffFactory(role="support", username="sam")
    client = APIClient()

    # when
    response = client.post(
        "/api/v1/auth/token/", {"username": "sam", "password": "correct-horse-battery"}, format="json"
    )

    # then
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/orders/").status_code == 200
    assert user.api_tokens.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"username": "sam", "password": "wrong"},
        {"username": "nobody", "password": "correct-horse-battery"},
        {"username": "sam"},
        {},
    ],
)
def test_bad_credentials_get_400_and_no_token(body, db):
    # given
    StaffFactory(role="support", username="sam")

    # when
    response = APIClient().post("/api/v1/auth/token/", body, format="json")

    # then
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not StaffToken.objects.exists()


def test_non_staff_users_get_no_token(db):
    # given
    customer = User.objects.create_user("carl", password="correct-horse-battery")

    # when
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "carl", "password": "correct-horse-battery"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert not StaffToken.objects.filter(user=customer).exists()
