"""Receiving and inspecting returned goods: resellable units go back on hand through a ``return`` movement;
damaged and defective ones are booked in and written off at once, never available."""

import pytest

from inventory.models import StockItem, StockMovement
from orders.models import OrderLine
from returns.exceptions import InvalidReturn, ReturnTransitionNotAvailable
from returns.models import ReturnRequest
from returns.services import return_inspect, return_receive
from tests.factories import StaffFactory, WarehouseFactory


def _stock(warehouse_code="MAIN"):
    item = StockItem.objects.get(product__sku="MUG-1", warehouse__code=warehouse_code)
    return item.on_hand, item.reserved


def _ledger(number):
    return list(StockMovement.objects.filter(reference=number).order_by("pk").values_list("kind", "on_hand_delta"))


def test_receive_records_the_warehouse_and_moves_no_stock(return_in_state):
    # given
    created = return_in_state("authorized")
    before = _stock()

    # when
    received = return_receive(return_request=created, warehouse="main", user=StaffFactory(role="warehouse"))

    # then
    received.refresh_from_db()
    assert (received.status, received.received_warehouse.code) == ("received", "MAIN")
    assert _stock() == before
    assert received.events.last().note == "At MAIN"


def test_an_unknown_warehouse_is_refused_naming_the_field(return_in_state):
    created = return_in_state("authorized")
    with pytest.raises(InvalidReturn) as refused:
        return_receive(return_request=created, warehouse="NOWHERE")
    assert "warehouse" in refused.value.fields
    assert ReturnRequest.objects.get(pk=created.pk).status == "authorized"


def test_resellable_units_go_back_on_hand_through_the_ledger(return_in_state):
    # given
    created = return_in_state("received", quantity=2)
    on_hand, _ = _stock()

    # when
    return_inspect(
        return_request=created, lines=[{"sku": "MUG-1", "quantity": 2, "condition": "resellable", "notes": "Sealed"}]
    )

    # then
    assert _stock()[0] == on_hand + 2
    assert _ledger(created.number) == [("return", 2)]
    line = created.lines.get()
    assert (line.condition, line.inspector_notes) == ("resellable", "Sealed")


@pytest.mark.parametrize("condition", ["damaged", "defective"])
def test_damaged_and_defective_units_are_booked_in_and_written_off(condition, return_in_state):
    # given
    created = return_in_state("received", quantity=1)
    before = _stock()

    # when
    return_inspect(return_request=created, lines=[{"sku": "MUG-1", "quantity": 1, "condition": condition}])

    # then
    assert _stock() == before
    assert _ledger(created.number) == [("return", 1), ("write_off", -1)]
    assert created.lines.get().condition == condition


def test_one_line_split_over_conditions_keeps_the_worse_and_notes_the_split(return_in_state):
    # given
    created = return_in_state("received", quantity=2)
    on_hand, _ = _stock()

    # when
    return_inspect(
        return_request=created,
        lines=[
            {"sku": "MUG-1", "quantity": 1, "condition": "resellable"},
            {"sku": "MUG-1", "quantity": 1, "condition": "damaged", "notes": "Chipped handle"},
        ],
    )

    # then
    assert _stock()[0] == on_hand + 1
    line = created.lines.get()
    assert line.condition == "damaged"
    assert line.inspector_notes == "1 resellable, 1 damaged\nChipped handle"


def test_fewer_units_than_announced_shrink_the_line_and_may_be_returned_again(return_in_state):
    # given
    created = return_in_state("received", quantity=2)

    # when
    return_inspect(return_request=created, lines=[{"sku": "MUG-1", "quantity": 1, "condition": "resellable"}])

    # then
    assert created.lines.get().quantity == 1
    assert OrderLine.objects.get(order=created.order).quantity_returned == 1


@pytest.mark.parametrize(
    "lines, field",
    [
        ([{"sku": "OTHER", "quantity": 1, "condition": "resellable"}], "sku"),
        ([{"sku": "MUG-1", "quantity": 3, "condition": "resellable"}], "quantity"),
        ([{"sku": "MUG-1", "quantity": 1, "condition": "like new"}], "condition"),
    ],
)
def test_a_bad_inspection_is_refused_and_moves_nothing(lines, field, return_in_state):
    # given
    created = return_in_state("received", quantity=2)
    before = (_stock(), StockMovement.objects.count())

    # when / then
    with pytest.raises(InvalidReturn) as refused:
        return_inspect(return_request=created, lines=lines)
    assert field in refused.value.fields["lines"]["0"]
    assert (_stock(), StockMovement.objects.count()) == before
    assert ReturnRequest.objects.get(pk=created.pk).status == "received"


def test_goods_are_not_inspected_before_they_arrive(return_in_state):
    created = return_in_state("authorized")
    with pytest.raises(ReturnTransitionNotAvailable):
        return_inspect(return_request=created, lines=[{"sku": "MUG-1", "quantity": 1, "condition": "resellable"}])
    assert StockMovement.objects.filter(reference=created.number).count() == 0


def test_goods_received_at_a_warehouse_that_never_stocked_them_get_a_stock_row(return_in_state):
    # given
    WarehouseFactory(code="EAST", priority=5)
    created = return_in_state("authorized")
    return_receive(return_request=created, warehouse="EAST")

    # when
    return_inspect(return_request=created, lines=[{"sku": "MUG-1", "quantity": 1, "condition": "resellable"}])

    # then
    assert _stock("EAST") == (1, 0)
