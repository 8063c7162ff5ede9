"""Weights no parcel can have (1e30, NaN, huge) are refused beside the field, never a server error."""

import pytest

from tests.dashboard.fulfillment.test_pack_page import allocations, form_data, url


@pytest.mark.parametrize("weight", ["1e30", "9" * 40, "-1e30", "NaN", "Infinity", "1e-30"])
def test_a_weight_out_of_any_range_is_refused_and_nothing_ships(
    weight, order_in_state, kitchen, staff_client, order_snapshot
):
    # given
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2)])
    before = order_snapshot(order)
    data = form_data(order, [{"KIT-MUG": 2}], [weight])

    # when
    response = staff_client("warehouse").post(url(order), data)

    # then
    assert response.status_code == 200
    assert "Nothing was shipped yet." in response.text
    assert order_snapshot(order) == before


def test_adding_a_parcel_with_a_huge_weight_typed_still_quotes_rates(order_in_state, kitchen, staff_client):
    # given: the packer typed a nonsense weight, then adds a parcel (a preview, not judged yet)
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2)])
    data = form_data(order, [{"KIT-MUG": 2}], ["1e30"])
    data.pop("ship")
    data["add_parcel"] = str(allocations(order)["KIT-MUG"].warehouse_id)

    # when
    response = staff_client("warehouse").post(url(order), data)

    # then: rates are quoted for the catalogue weight instead
    assert response.status_code == 200
    assert "Quoted for 0.800 kg in all." in response.text
