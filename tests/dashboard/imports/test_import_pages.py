"""Upload → dry run with the bad rows → import with progress; the template downloads. Who may open the pages is the
navigation matrix (tests/dashboard/test_navigation.py, "Imports")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from orders.models import Order, OrderImport
from tests.orders.imports.conftest import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(mug, warehouse):
    from tests.factories import ProductFactory, StockItemFactory

    StockItemFactory(product=ProductFactory(sku="TEA-1", price="4.00"), warehouse=warehouse, on_hand=50)


def test_upload_shows_the_dry_run_then_imports_with_progress(staff_client, storefront, catalog, commit):
    client = staff_client("order desk")
    content = csv_bytes([*GOOD, row(external_ref="WEB-9", quantity="0")])

    # when the file is uploaded: a dry run, nothing placed
    uploaded = client.post(
        "/dashboard/imports/upload/",
        {"storefront": storefront.pk, "file": SimpleUploadedFile("orders.csv", content, content_type="text/csv")},
    )
    assert uploaded.status_code == 302
    draft = OrderImport.objects.get()
    preview = client.get(uploaded["Location"])
    assert "<strong>2</strong> to create" in preview.text and "A whole number from 1 to" in preview.text
    assert not Order.objects.exists()

    # then imported
    with commit():
        started = client.post(f"/dashboard/imports/{draft.pk}/start/")
    assert started.status_code == 302
    progress = client.get(f"/dashboard/imports/{draft.pk}/progress/")
    assert "2 created, 0 skipped (already imported), 1 failed, of 3 orders" in progress.text
    assert 'hx-trigger="every 1s"' not in progress.text  # done: polling stops
    assert Order.objects.count() == 2


def test_a_file_not_in_the_format_is_shown_beside_the_upload(staff_client, storefront):
    client = staff_client("manager")

    response = client.post(
        "/dashboard/imports/upload/",
        {"storefront": storefront.pk, "file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")},
    )

    assert response.status_code == 400 and "missing column" in response.text
    assert not OrderImport.objects.exists()


def test_the_template_downloads(staff_client):
    response = staff_client("order desk").get("/dashboard/imports/template.csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("external_ref,customer_email,")
