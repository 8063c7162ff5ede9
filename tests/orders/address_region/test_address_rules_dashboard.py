"""Order edit and new customer judge addresses by the same rule as the API and order entry: the error is
shown beside the field and nothing is saved."""

import pytest

from oms.exceptions import InvalidInput
from orders.models import Address, Customer, Order
from orders.services.desk import order_details_update
from tests.factories import StaffFactory


def _edit_post(order) -> dict:
    data = {"notes": order.notes}
    for prefix, address in (("ship", order.shipping_address), ("bill", order.billing_address)):
        for field in ("name", "line1", "line2", "city", "region", "postal_code", "country"):
            data[f"{prefix}_{field}"] = getattr(address, field)
    data.pop("ship_country")
    return data


def test_order_edit_refuses_a_us_billing_address_without_state_beside_the_fields(staff_client, order_in_state):
    # given
    desk = staff_client("order desk")
    order = order_in_state("confirmed")
    events = order.events.count()
    billing = {"bill_city": "Denver", "bill_region": "", "bill_postal_code": "1", "bill_country": "US"}

    # when
    response = desk.post(f"/dashboard/orders/{order.number}/edit/", {**_edit_post(order), **billing})

    # then
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["bill_region"] == ["Enter the state: US addresses need one, e.g. AL."]
    assert errors["bill_postal_code"] == ["“1” is not a ZIP code in US, e.g. 95014."]
    assert 'id="id_bill_region-error"' in response.text
    order = Order.objects.select_related("billing_address").get(pk=order.pk)
    assert order.billing_address.country == "DE" and order.events.count() == events


def test_order_edit_refuses_a_postal_code_of_the_wrong_shape_for_the_shipping_country(staff_client, order_in_state):
    desk = staff_client("order desk")
    order = order_in_state("confirmed")

    response = desk.post(f"/dashboard/orders/{order.number}/edit/", {**_edit_post(order), "ship_postal_code": "1"})

    assert response.status_code == 400
    assert response.context["form"].errors["ship_postal_code"] == ["“1” is not a postal code in DE, e.g. 26133."]
    assert Order.objects.select_related("shipping_address").get(pk=order.pk).shipping_address.postal_code == "10115"


def test_the_edit_service_names_the_form_fields_and_writes_nothing(order_in_state, denver):
    # given
    order = order_in_state("confirmed", shipping_address=denver)
    events = order.events.count()

    # when
    with pytest.raises(InvalidInput) as caught:
        order_details_update(
            order_id=order.pk, user=StaffFactory(), shipping={"region": "", "postal_code": "1"}, billing=None
        )

    # then
    assert set(caught.value.fields) == {"ship_region", "ship_postal_code"}
    order = Order.objects.select_related("shipping_address").get(pk=order.pk)
    assert (order.shipping_address.region, order.shipping_address.postal_code) == ("CO", "80202")
    assert order.events.count() == events


def test_the_edit_service_stores_a_state_name_as_its_code(order_in_state, denver):
    order = order_in_state("confirmed", shipping_address=denver)

    changes = order_details_update(
        order_id=order.pk, user=StaffFactory(), shipping={"region": "new york", "postal_code": "10001"}
    )

    order = Order.objects.select_related("shipping_address").get(pk=order.pk)
    assert (order.shipping_address.region, order.shipping_address.postal_code) == ("NY", "10001")
    assert "Shipping region: “CO” → “NY”" in changes


def test_a_new_customer_with_a_canadian_address_without_province_is_refused_beside_the_field(staff_client):
    # when
    response = staff_client("order desk").post(
        "/dashboard/customers/new/",
        {
            "name": "Ann Example",
            "email": "ann@example.com",
            "phone": "",
            "address_line1": "1 Yonge St",
            "address_city": "Toronto",
            "address_region": "",
            "address_postal_code": "M5E 1E5",
            "address_country": "CA",
        },
    )

    # then
    assert response.status_code == 400
    assert response.context["form"].errors["address_region"] == ["Enter the province: CA addresses need one, e.g. AB."]
    assert not Customer.objects.exists() and not Address.objects.exists()
