"""Staff enter and edit the region in the dashboard; it is optional, shown formatted, and edits are on the timeline."""

from orders.models import Customer, Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory


def test_order_entry_saves_the_region_and_the_order_page_shows_it(staff_client, mug, commit):
    # given
    client = staff_client("order desk")
    us = {"ship_city": "Denver", "ship_region": "CO", "ship_postal_code": "80202", "ship_country": "US"}

    # when
    with commit():
        response = client.post("/dashboard/orders/new/", entry_post(customer=CustomerFactory(), **us))

    # then
    assert response.status_code == 302
    order = Order.objects.select_related("shipping_address").get()
    assert order.shipping_address.region == "CO"
    page = client.get(f"/dashboard/orders/{order.number}/").text
    assert "Denver, CO 80202" in page


def test_order_entry_without_a_region_still_places_the_order(staff_client, mug, commit):
    client = staff_client("order desk")

    with commit():
        response = client.post("/dashboard/orders/new/", entry_post(customer=CustomerFactory()))

    assert response.status_code == 302
    assert Order.objects.select_related("shipping_address").get().shipping_address.region == ""


def test_the_entry_form_offers_an_optional_region_with_help(staff_client):
    page = staff_client("order desk").get("/dashboard/orders/new/").text

    assert 'name="ship_region"' in page
    assert "State / province / region" in page
    assert "e.g. CO, ON" in page


def test_order_edit_saves_the_region_and_records_it_on_the_timeline(staff_client, order_in_state):
    # given
    desk = staff_client("order desk")
    order = order_in_state("confirmed")
    data = {"notes": order.notes}
    for prefix, address in (("ship", order.shipping_address), ("bill", order.billing_address)):
        for field in ("name", "line1", "line2", "city", "region", "postal_code", "country"):
            data[f"{prefix}_{field}"] = getattr(address, field)
    data.pop("ship_country")

    # when the billing address moves to Denver, with its state (the shipping country stays locked)
    us = {"bill_city": "Denver", "bill_region": "CO", "bill_postal_code": "80202", "bill_country": "US"}
    response = desk.post(f"/dashboard/orders/{order.number}/edit/", {**data, **us}, follow=True)

    # then
    assert "Saved 4 changes." in response.text
    order = Order.objects.select_related("shipping_address", "billing_address").get(pk=order.pk)
    assert order.billing_address.region == "CO"
    assert order.shipping_address.region == ""
    assert "Billing region: “” → “CO”" in order.events.last().note


def test_the_edit_form_shows_the_current_region(staff_client, order_in_state, denver):
    order = order_in_state("confirmed", shipping_address=denver)

    page = staff_client("order desk").get(f"/dashboard/orders/{order.number}/edit/").text

    assert 'name="ship_region"' in page and 'value="CO"' in page


def test_a_new_customer_default_address_keeps_its_region(staff_client):
    client = staff_client("order desk")

    response = client.post(
        "/dashboard/customers/new/",
        {
            "name": "Ann Example",
            "email": "ann@example.com",
            "phone": "",
            "address_line1": "1600 Blake St",
            "address_city": "Denver",
            "address_region": "CO",
            "address_postal_code": "80202",
            "address_country": "us",
        },
        follow=True,
    )

    address = Customer.objects.get().addresses.get()
    assert address.region == "CO"
    assert "Denver, CO 80202" in response.text  # the address book on the customer page
