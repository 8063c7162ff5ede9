"""Importing a file places its orders through placement; bad rows are reported and their order is not made."""

import io

import pytest
from openpyxl import Workbook

from orders.models import Order, OrderImport
from orders.services.import_files import COLUMNS, InvalidImportFile, import_template_csv
from orders.services.imports import order_import_create, order_import_run, order_import_start
from tests.orders.imports.conftest import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db


def _import(storefront, content: bytes, name: str = "orders.csv") -> OrderImport:
    draft = order_import_create(storefront_id=storefront.pk, name=name, content=content, actor="test", start=False)
    return order_import_start(import_id=draft.pk, inline=True)


def test_a_good_file_places_one_order_per_external_ref(storefront, catalog, commit):
    # when
    with commit():
        result = _import(storefront, csv_bytes(GOOD))

    # then
    assert (result.status, result.total, result.created, result.skipped, result.failed) == ("done", 2, 2, 0, 0)
    first = Order.objects.get(external_ref="WEB-1")
    assert sorted(first.lines.values_list("sku", "quantity")) == [("MUG-1", 2), ("TEA-1", 3)]
    assert (first.storefront_id, first.channel, first.payment_method) == (storefront.pk, "import", "bank_transfer")
    assert first.status == "credit_approved"  # placed normally: stock reserved, waiting for the transfer
    assert first.lines.get(sku="MUG-1").quantity_reserved == 2
    assert first.events.first().actor == f"import:{result.pk}"


def test_bad_rows_are_reported_and_their_order_is_not_half_made(storefront, catalog, commit):
    # given WEB-1 whose second row has an unknown SKU, WEB-2 with a bad quantity and a card, WEB-3 good
    rows = [
        row(external_ref="WEB-1", sku="MUG-1"),
        row(external_ref="WEB-1", sku="NOPE"),
        row(external_ref="WEB-2", quantity="two", payment_method="card"),
        row(external_ref="WEB-3", ship_postal_code="ABC"),
        row(external_ref="WEB-4", customer_email="c@example.com"),
    ]

    # when
    with commit():
        result = _import(storefront, csv_bytes(rows))

    # then
    assert (result.total, result.created, result.failed) == (4, 1, 3)
    assert list(Order.objects.values_list("external_ref", flat=True)) == ["WEB-4"]
    errors = {(e["row"], e["field"]) for e in result.errors}
    assert {(3, "sku"), (4, "quantity"), (4, "payment_method"), (5, "ship_postal_code")} <= errors
    assert "Unknown SKU 'NOPE'." in [e["message"] for e in result.errors]


def test_importing_the_same_file_again_skips_the_orders_made(storefront, catalog, commit):
    # given
    with commit():
        _import(storefront, csv_bytes(GOOD))

    # when
    with commit():
        again = _import(storefront, csv_bytes(GOOD))

    # then
    assert (again.total, again.created, again.skipped, again.failed) == (2, 0, 2, 0)
    assert Order.objects.count() == 2


def test_an_xlsx_workbook_imports_like_csv(storefront, catalog, commit):
    # given
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for values in GOOD:
        sheet.append([int(values[c]) if c == "quantity" else values[c] for c in COLUMNS])
    content = io.BytesIO()
    book.save(content)

    # when
    with commit():
        result = _import(storefront, content.getvalue(), name="orders.xlsx")

    # then
    assert (result.created, result.failed) == (2, 0)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        (b"sku,quantity\nMUG-1,1\n", "a.csv", "missing column"),
        (b"PK\x03\x04broken", "a.xlsx", "not a readable XLSX"),
        (b"\xff\xfe\x00bad", "a.csv", "UTF-8"),
        (",".join(COLUMNS).encode() + b"\n", "a.csv", "no rows"),
    ],
)
def test_a_file_that_is_not_the_format_is_refused_and_nothing_is_stored(storefront, content, name, message):
    with pytest.raises(InvalidImportFile) as refused:
        order_import_create(storefront_id=storefront.pk, name=name, content=content, actor="test")

    assert message in refused.value.fields["file"][0]
    assert not OrderImport.objects.exists()


def test_too_many_rows_are_refused(storefront, settings):
    settings.OMS_IMPORT_MAX_ROWS = 2

    with pytest.raises(InvalidImportFile, match="more than 2 rows"):
        order_import_create(storefront_id=storefront.pk, name="a.csv", content=csv_bytes(GOOD), actor="test")


def test_the_template_is_the_format(storefront, catalog, commit):
    with commit():
        result = _import(storefront, import_template_csv().encode())

    assert result.total == 2 and result.failed == 0


def test_a_run_cut_short_carries_on_where_it_stopped(storefront, catalog, commit):
    # given a run that committed WEB-1 and stopped (a worker killed): WEB-1 exists, the import says 1 of 2 done
    with commit():
        _import(storefront, csv_bytes(GOOD[:2]))
    interrupted = order_import_create(storefront_id=storefront.pk, name="o.csv", content=csv_bytes(GOOD), actor="t")
    OrderImport.objects.filter(pk=interrupted.pk).update(status="running", position=1, created=1, total=2)

    # when the task runs again (redelivered)
    with commit():
        result = order_import_run(import_id=interrupted.pk)

    # then
    assert (result.status, result.created, result.skipped, result.failed) == ("done", 2, 0, 0)
    assert sorted(Order.objects.values_list("external_ref", flat=True)) == ["WEB-1", "WEB-2"]


def test_a_finished_import_run_again_does_nothing(storefront, catalog, commit):
    with commit():
        done = _import(storefront, csv_bytes(GOOD))

    again = order_import_run(import_id=done.pk)

    assert (again.status, again.created) == ("done", 2) and Order.objects.count() == 2
