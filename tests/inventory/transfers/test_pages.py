"""The transfer pages: create, the steps on the transfer page, a short receipt, the list's status filter."""

import pytest

from inventory.models import StockMovement, Transfer
from inventory.transfers import transfer_pick, transfer_ship


@pytest.fixture
def client_(staff_client):
    return staff_client("warehouse", username="wendy")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_create_a_transfer(client_, east, west, stocked):
    stocked("MUG-1", 10)
    stocked("CUP-1", 10)

    response = client_.post(
        "/dashboard/inventory/transfers/new/",
        {
            "from_warehouse": east.pk,
            "to_warehouse": west.pk,
            "sku_0": "MUG-1",
            "quantity_0": "3",
            "sku_2": "CUP-1",
            "quantity_2": "1",
            "notes": "Stock the west coast",
        },
    )

    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dashboard/inventory/transfers/{transfer.number}/"
    assert sorted(transfer.lines.values_list("product__sku", "quantity")) == [("CUP-1", 1), ("MUG-1", 3)]
    assert (transfer.status, transfer.created_by.username, transfer.notes) == ("draft", "wendy", "Stock the west coast")


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"sku_0": "NOPE"}, "sku_0", "No product with the SKU &#x27;NOPE&#x27;."),
        ({"quantity_0": "0"}, "quantity_0", "Ensure this value is greater than or equal to 1."),
        ({"quantity_0": ""}, "quantity_0", "Enter how many units."),
        ({"sku_0": "", "quantity_0": ""}, None, "Add at least one product to transfer."),
        ({"to_warehouse": "EAST"}, "to_warehouse", "Choose a warehouse other than the one the goods leave."),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_written(
    client_, east, west, stocked, changes, field, error
):
    stocked("MUG-1", 10)
    data = {"from_warehouse": east.pk, "to_warehouse": west.pk, "sku_0": "MUG-1", "quantity_0": "3"}
    data.update({k: (east.pk if v == "EAST" else v) for k, v in changes.items()})

    response = client_.post("/dashboard/inventory/transfers/new/", data)

    assert response.status_code == 400
    assert error in response.text
    if field:
        assert f'id="id_{field}-error"' in response.text
    assert not Transfer.objects.exists()


def test_the_steps_on_the_transfer_page(client_, stocked, draft, east, west, stock):
    mug = stocked("MUG-1", 10)
    transfer = draft({mug: 4})
    page = f"/dashboard/inventory/transfers/{transfer.number}/"

    shown = client_.get(page)
    assert ">Pick</button>" in shown.text and ">Cancel transfer</button>" in shown.text
    assert ">Ship</button>" not in shown.text

    picked = client_.post(f"{page}pick/", follow=True)
    assert _messages(picked) == [f"Transfer {transfer.number} picked: the units are reserved at EAST."]
    assert ">Ship</button>" in picked.text

    shipped = client_.post(f"{page}ship/", follow=True)
    assert _messages(shipped) == [f"Transfer {transfer.number} shipped: in transit to WEST."]
    line = transfer.lines.get()
    assert f'name="line_{line.pk}"' in shipped.text and 'value="4"' in shipped.text

    received = client_.post(f"{page}receive/", {f"line_{line.pk}": "3"}, follow=True)
    assert _messages(received) == [f"Transfer {transfer.number} received at WEST. 1 unit did not arrive."]
    assert stock(mug, east) == (6, 0) and stock(mug, west) == (3, 0)
    assert ">Receive</button>" not in received.text


def test_a_refused_pick_says_what_is_short_on_the_transfer_page(client_, stocked, draft):
    mug = stocked("MUG-1", 2)
    transfer = draft({mug: 5})

    response = client_.post(f"/dashboard/inventory/transfers/{transfer.number}/pick/", follow=True)

    assert _messages(response) == ["Not enough stock in EAST for MUG-1 (short 3)."]
    assert Transfer.objects.get(pk=transfer.pk).status == "draft"


def test_receiving_more_than_shipped_is_shown_beside_the_line(client_, clerk, stocked, draft, west, stock):
    mug = stocked("MUG-1", 10)
    transfer = draft({mug: 4})
    transfer_pick(transfer_id=transfer.pk, user=clerk)
    transfer_ship(transfer_id=transfer.pk, user=clerk)
    line = transfer.lines.get()
    movements = StockMovement.objects.count()

    response = client_.post(f"/dashboard/inventory/transfers/{transfer.number}/receive/", {f"line_{line.pk}": "9"})

    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 4." in response.text
    assert StockMovement.objects.count() == movements
    assert stock(mug, west) is None


def test_the_list_filters_by_status(client_, clerk, stocked, draft):
    mug = stocked("MUG-1", 10)
    picked, left = draft({mug: 1}), draft({mug: 2})
    transfer_pick(transfer_id=picked.pk, user=clerk)

    everything = client_.get("/dashboard/inventory/transfers/")
    only_picked = client_.get("/dashboard/inventory/transfers/?status=picked")

    assert picked.number in everything.text and left.number in everything.text
    assert picked.number in only_picked.text and left.number not in only_picked.text
    assert "Nothing has been moved" not in everything.text


def test_unknown_transfer_is_404(client_):
    assert client_.get("/dashboard/inventory/transfers/TR-1999-000001/").status_code == 404
    assert client_.post("/dashboard/inventory/transfers/TR-1999-000001/pick/").status_code == 404


@pytest.mark.parametrize("field", ["from_warehouse", "to_warehouse"])
def test_a_huge_warehouse_id_is_a_form_error(client_, east, west, stocked, field):
    stocked("MUG-1", 10)
    data = {"from_warehouse": east.pk, "to_warehouse": west.pk, "sku_0": "MUG-1", "quantity_0": "3"}

    response = client_.post("/dashboard/inventory/transfers/new/", {**data, field: "9" * 30})

    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.text
    assert not Transfer.objects.exists()
