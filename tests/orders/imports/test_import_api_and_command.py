"""POST /api/v1/orders/import/ → 202, then GET /api/v1/imports/<id>/; and manage.py import_orders."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from orders.models import Order, OrderImport
from tests.factories import storefront_with_key
from tests.orders.imports.conftest import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db


def _upload(api, content: bytes, **headers):
    return api.post(
        "/api/v1/orders/import/",
        {"file": SimpleUploadedFile("orders.csv", content, content_type="text/csv")},
        format="multipart",
        **headers,
    )


def test_an_upload_is_accepted_then_runs_and_its_status_shows_the_counts(api, catalog, commit):
    # when the file is uploaded (the queued task runs at commit, as a worker would)
    with commit():
        accepted = _upload(api, csv_bytes([*GOOD, row(external_ref="WEB-9", sku="NOPE")]))

    # then
    assert accepted.status_code == 202, accepted.content
    assert accepted.data["status"] == "queued"
    status = api.get(f"/api/v1/imports/{accepted.data['id']}/")
    assert status.status_code == 200
    assert status.json() == {
        "id": accepted.data["id"],
        "status": "done",
        "total": 3,
        "created": 2,
        "skipped": 0,
        "failed": 1,
        "errors": [{"row": 5, "field": "sku", "message": "Unknown SKU 'NOPE'."}],
    }


def test_a_retry_with_the_same_idempotency_key_gets_the_same_import(api, catalog, commit):
    with commit():
        first = _upload(api, csv_bytes(GOOD), HTTP_IDEMPOTENCY_KEY="imp-1")
    with commit():
        again = _upload(api, csv_bytes(GOOD), HTTP_IDEMPOTENCY_KEY="imp-1")

    assert again.status_code == 202 and again.data["id"] == first.data["id"]
    assert OrderImport.objects.count() == 1


def test_another_storefronts_import_is_not_found(api, catalog, commit):
    with commit():
        accepted = _upload(api, csv_bytes(GOOD))
    _, other_key = storefront_with_key("other")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {other_key}")

    assert other.get(f"/api/v1/imports/{accepted.data['id']}/").status_code == 404
    assert api.get("/api/v1/imports/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize(
    ("files", "field"),
    [({}, "file"), ({"file": SimpleUploadedFile("a.csv", b"sku\nMUG-1\n")}, "file")],
)
def test_a_bad_upload_is_a_400_naming_the_file(api, files, field):
    response = api.post("/api/v1/orders/import/", files, format="multipart")

    assert response.status_code == 400
    assert field in response.json()
    assert not OrderImport.objects.exists()


def test_staff_tokens_cannot_import(staff_api):
    response = staff_api("manager").post("/api/v1/orders/import/", {}, format="multipart")

    assert response.status_code == 403


def test_the_command_imports_a_file_and_prints_the_summary(storefront, catalog, tmp_path, commit):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes(GOOD))
    out = io.StringIO()

    with commit():
        call_command("import_orders", str(path), "--storefront", "shop", stdout=out)

    assert "2 orders, 2 created, 0 skipped, 0 failed" in out.getvalue()
    assert Order.objects.filter(storefront=storefront).count() == 2
