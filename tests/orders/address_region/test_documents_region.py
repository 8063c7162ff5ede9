"""Label, packing slip, pack page and the carrier request print a US address as a US carrier expects it."""

from shipping.models import Shipment
from tests.dashboard.fulfillment.conftest import pdf_text


def test_label_and_packing_slip_print_city_state_and_zip(order_in_state, staff_client, denver):
    # given
    order = order_in_state("shipped", shipping_address=denver)
    shipment = Shipment.objects.get(order=order)
    client = staff_client("warehouse")

    # when
    label = client.get(f"/dashboard/shipments/{shipment.pk}/label.pdf")
    slip = client.get(f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf")

    # then
    assert label.status_code == slip.status_code == 200
    assert b"Denver, CO 80202" in pdf_text(label.content)
    assert b"Denver, CO 80202" in pdf_text(slip.content)
    assert b"80202 Denver" not in pdf_text(label.content)


def test_the_carrier_label_request_gets_the_formatted_address(order_in_state, denver):
    order = order_in_state("shipped", shipping_address=denver)

    label = Shipment.objects.get(order=order).label

    assert "Denver, CO 80202, US" in label


def test_the_pack_page_shows_the_formatted_address(order_in_state, staff_client, denver):
    order = order_in_state("fulfilling", shipping_address=denver)

    page = staff_client("warehouse").get(f"/dashboard/orders/{order.number}/pack/").text

    assert "Denver, CO 80202" in page
