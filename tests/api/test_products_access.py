"""GET /api/v1/products/ (the catalogue with available stock): storefronts, and staff whose role may see stock
(as the dashboard's stock pages); other staff roles and staff without a role get 403."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [("order desk", 200), ("warehouse", 200), ("manager", 200), ("support", 403), ("finance", 403), (None, 403)],
)
def test_staff_see_the_catalogue_only_with_a_role_that_sees_stock(staff_api, mug, role, status):
    response = staff_api(role).get("/api/v1/products/")

    assert response.status_code == status, response.content
    if status == 200:
        assert [p["sku"] for p in response.json()["results"]] == ["MUG-1"]


def test_a_storefront_sees_the_catalogue(api, mug):
    assert api.get("/api/v1/products/").status_code == 200


def test_no_credentials_is_401():
    assert APIClient().get("/api/v1/products/").status_code == 401
