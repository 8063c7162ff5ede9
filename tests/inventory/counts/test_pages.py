"""The cycle count pages: a new sheet, entering counts (partial saves), posting, the printable sheet."""

import pytest

from inventory.models import CycleCount, StockItem, StockMovement


@pytest.fixture
def client_(staff_client):
    return staff_client("warehouse", username="cora2")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_make_a_sheet_for_a_bin_range(client_, shelf, main):
    shelf("MUG-1", 10, "A-1")
    shelf("CUP-1", 5, "B-1")

    response = client_.post(
        "/dashboard/inventory/counts/new/", {"warehouse": main.pk, "bin_from": "A", "bin_to": "A-9"}
    )

    count = CycleCount.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dashboard/inventory/counts/{count.number}/"
    assert [line.stock_item.product.sku for line in count.lines.all()] == ["MUG-1"]
    assert count.created_by.username == "cora2"


def test_an_empty_range_is_shown_beside_the_field(client_, shelf, main):
    shelf("MUG-1", 10, "A-1")

    response = client_.post("/dashboard/inventory/counts/new/", {"warehouse": main.pk, "bin_from": "X", "bin_to": ""})

    assert response.status_code == 400
    assert 'id="id_bin_from-error"' in response.text
    assert "MAIN has no stock rows in bins X to …." in response.text
    assert not CycleCount.objects.exists()


def test_enter_counts_a_few_at_a_time_then_post(client_, shelf, sheet, line_of):
    mug, cup = shelf("MUG-1", 10, "A-1"), shelf("CUP-1", 5, "A-2")
    count = sheet()
    page = f"/dashboard/inventory/counts/{count.number}/"
    mug_field, cup_field = f"line_{line_of(count, mug).pk}", f"line_{line_of(count, cup).pk}"

    saved = client_.post(f"{page}save/", {mug_field: "8", cup_field: ""}, follow=True)
    assert _messages(saved) == ["Counts saved: 1 of 2 lines counted. Post the count when it is complete."]
    assert f'name="{mug_field}" value="8"' in saved.text
    assert StockItem.objects.get(pk=mug.pk).on_hand == 10

    posted = client_.post(f"{page}save/", {mug_field: "8", cup_field: "6", "post": "1"}, follow=True)
    assert _messages(posted) == [f"Count {count.number} posted: the counted lines are booked in the ledger."]
    assert StockItem.objects.get(pk=mug.pk).on_hand == 8
    assert StockItem.objects.get(pk=cup.pk).on_hand == 6
    assert "Save counts" not in posted.text
    counted = CycleCount.objects.get(pk=count.pk)
    assert (counted.status, counted.counted_by.username, counted.posted_by.username) == ("posted", "cora2", "cora2")


def test_a_refused_post_says_which_sku(client_, shelf, sheet, line_of):
    from inventory.services import StockRequest, stock_reserve

    mug = shelf("MUG-1", 10, "A-1")
    stock_reserve(requests=[StockRequest(key=1, product_id=mug.product_id, quantity=6)], reference="ORDER-1")
    count = sheet()

    response = client_.post(
        f"/dashboard/inventory/counts/{count.number}/save/",
        {f"line_{line_of(count, mug).pk}": "2", "post": "1"},
        follow=True,
    )

    [message] = _messages(response)
    assert "MUG-1 (bin A-1): counted 2 would leave 2 on hand, fewer than the 6 reserved for orders" in message
    assert not StockMovement.objects.filter(kind="count").exists()


def test_a_negative_count_is_shown_beside_its_line(client_, shelf, sheet, line_of):
    mug = shelf("MUG-1", 10, "A-1")
    count = sheet()
    field = f"line_{line_of(count, mug).pk}"

    response = client_.post(f"/dashboard/inventory/counts/{count.number}/save/", {field: "-3"})

    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.text
    assert line_of(count, mug).counted is None


def test_the_printable_sheet_lists_the_rows_by_bin_without_the_book_figures(client_, shelf, sheet):
    shelf("MUG-1", 17, "B-1")
    shelf("CUP-1", 23, "A-1")
    count = sheet()

    response = client_.get(f"/dashboard/inventory/counts/{count.number}/print/")

    assert response.status_code == 200
    assert response.text.index("CUP-1") < response.text.index("MUG-1")
    assert ">17<" not in response.text and ">23<" not in response.text
    assert "Counted by:" in response.text


def test_cancel_an_open_count(client_, shelf, sheet):
    shelf("MUG-1", 10, "A-1")
    count = sheet()

    response = client_.post(f"/dashboard/inventory/counts/{count.number}/cancel/", follow=True)

    assert _messages(response) == [f"Count {count.number} cancelled: nothing was booked."]
    assert CycleCount.objects.get(pk=count.pk).status == "cancelled"


def test_a_huge_warehouse_id_is_a_form_error(client_, shelf):
    shelf("MUG-1", 10, "A-1")

    response = client_.post("/dashboard/inventory/counts/new/", {"warehouse": "9" * 30})

    assert response.status_code == 400
    assert 'id="id_warehouse-error"' in response.text
    assert not CycleCount.objects.exists()
