"""The customer's special instructions (the order's notes) are printed on the pick list and the packing slip."""

from shipping.models import Shipment
from tests.dashboard.fulfillment.conftest import pdf_pages

NOTES = "Fragile: glass inside.\nLeave with the neighbour at no. 14 — Łukasz"


def test_pick_list_prints_the_instructions_of_each_order(order_in_state, staff_client):
    # given
    noted = order_in_state("fulfilling", notes=NOTES)
    plain = order_in_state("fulfilling")

    # when
    response = staff_client("warehouse").get(
        "/dashboard/fulfillment/pick-list/", {"orders": [noted.number, plain.number]}
    )

    # then
    html = response.text
    assert "Special instructions" in html
    assert (
        f"<dt>{noted.number}</dt><dd>Fragile: glass inside.<br>Leave with the neighbour at no. 14 — Łukasz</dd>" in html
    )
    assert f"<dt>{plain.number}</dt>" not in html


def test_pick_list_without_instructions_has_no_such_section(order_in_state, staff_client):
    order = order_in_state("fulfilling")

    response = staff_client("warehouse").get("/dashboard/fulfillment/pick-list/", {"orders": order.number})

    assert "Special instructions" not in response.text


def test_instructions_typed_as_markup_are_shown_as_text(order_in_state, staff_client):
    order = order_in_state("fulfilling", notes="<script>alert(1)</script>")

    response = staff_client("warehouse").get("/dashboard/fulfillment/pick-list/", {"orders": order.number})

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_packing_slip_prints_the_instructions(order_in_state, staff_client):
    # given
    order = order_in_state("shipped", notes=NOTES)
    shipment = Shipment.objects.get(order=order)

    # when
    response = staff_client("warehouse").get(f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf")

    # then
    text = pdf_pages(response.content)[0]
    assert "Special instructions\nFragile: glass inside.\nLeave with the neighbour at no. 14 — Łukasz" in text


def test_packing_slip_of_an_order_without_instructions_has_none(order_in_state, staff_client):
    order = order_in_state("shipped")
    shipment = Shipment.objects.get(order=order)

    response = staff_client("warehouse").get(f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf")

    assert "Special instructions" not in pdf_pages(response.content)[0]
