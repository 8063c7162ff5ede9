"""Addresses and special instructions change before fulfillment, each edit recorded in the timeline."""

import pytest

from orders.models import Address, Order


def form_data(order, **changes) -> dict:
    data = {"notes": order.notes}
    for prefix, address in (("ship", order.shipping_address), ("bill", order.billing_address)):
        for field in ("name", "line1", "line2", "city", "postal_code", "country"):
            data[f"{prefix}_{field}"] = getattr(address, field)
    data.pop("ship_country")
    data.update(changes)
    return data


@pytest.mark.parametrize("state", ["confirmed", "on_hold"])
def test_edit_before_fulfillment_is_saved_and_recorded(desk, order_in_state, state):
    order = order_in_state(state)
    assert order.billing_address_id == order.shipping_address_id  # placed without a billing address
    other = Address.objects.create(name="Someone", line1="2 Side St", city="Bonn", postal_code="53111", country="DE")

    response = desk.post(
        f"/dashboard/orders/{order.number}/edit/",
        form_data(order, ship_line1="5 New Road", bill_city="Hamburg", notes="Ring twice"),
        follow=True,
    )

    assert "Saved 3 changes." in response.text
    order = Order.objects.select_related("shipping_address", "billing_address").get(pk=order.pk)
    assert order.shipping_address.line1 == "5 New Road" and order.shipping_address.city == "Berlin"
    assert order.billing_address.city == "Hamburg" and order.billing_address.line1 == "1 Main St"
    assert order.billing_address_id != order.shipping_address_id  # the shared row was split
    assert order.notes == "Ring twice"
    note = order.events.last().note
    assert "Shipping line1: “1 Main St” → “5 New Road”" in note
    assert "Billing city: “Berlin” → “Hamburg”" in note
    assert "Special instructions: “” → “Ring twice”" in note
    assert Address.objects.get(pk=other.pk).city == "Bonn"


def test_unchanged_form_writes_nothing(desk, order_in_state):
    order = order_in_state("confirmed")
    events = order.events.count()

    response = desk.post(f"/dashboard/orders/{order.number}/edit/", form_data(order), follow=True)

    assert "Nothing changed." in response.text
    assert order.events.count() == events


def test_required_fields_and_bad_country_are_shown_beside_the_field(desk, order_in_state):
    order = order_in_state("confirmed")
    before = (order.shipping_address.line1, order.events.count())

    response = desk.post(
        f"/dashboard/orders/{order.number}/edit/", form_data(order, ship_line1="", bill_country="Germany")
    )

    assert response.status_code == 400
    assert 'id="id_ship_line1-error"' in response.text and 'id="id_bill_country-error"' in response.text
    assert (Address.objects.get(pk=order.shipping_address_id).line1, order.events.count()) == before


def test_shipping_country_cannot_be_changed(desk, order_in_state):
    order = order_in_state("confirmed")

    desk.post(f"/dashboard/orders/{order.number}/edit/", form_data(order, ship_country="FR", ship_city="Paris"))

    shipping = Address.objects.get(pk=Order.objects.get(pk=order.pk).shipping_address_id)
    assert shipping.country == "DE"  # the disabled field keeps its value


@pytest.mark.parametrize("state", ["fulfilling", "shipped", "cancelled"])
def test_edit_refused_once_fulfillment_started(desk, order_in_state, order_snapshot, state):
    order = order_in_state(state)
    before = order_snapshot(order)

    page = desk.get(f"/dashboard/orders/{order.number}/").text
    response = desk.post(
        f"/dashboard/orders/{order.number}/edit/", form_data(order, ship_line1="Elsewhere"), follow=True
    )

    assert "Edit addresses" not in page
    assert "can only change before fulfillment starts" in response.text
    assert Address.objects.get(pk=order.shipping_address_id).line1 == "1 Main St"
    assert order_snapshot(order) == before


def test_edit_page_shows_the_current_values(desk, order_in_state):
    order = order_in_state("confirmed")

    response = desk.get(f"/dashboard/orders/{order.number}/edit/")

    assert response.status_code == 200
    assert 'value="1 Main St"' in response.text


@pytest.mark.parametrize(("code", "message"), [("XX", "XX"), ("UK", "GB")])
def test_billing_country_must_be_a_real_country_code(desk, order_in_state, code, message):
    # given
    order = order_in_state("confirmed")

    # when
    response = desk.post(f"/dashboard/orders/{order.number}/edit/", form_data(order, bill_country=code))

    # then the error names the code beside the field, and nothing changed
    assert response.status_code == 400
    assert 'id="id_bill_country-error"' in response.text and message in response.text
    assert Order.objects.get(pk=order.pk).billing_address.country == "DE"
