"""The warehouse prints every label and packing slip of a selection of shipped orders as one PDF."""

from io import BytesIO

from pypdf import PdfReader

from shipping.models import Shipment
from tests.dashboard.fulfillment.conftest import pdf_pages

URL = "/dashboard/fulfillment/documents.pdf"
LABEL, A4 = (288, 432), (595, 841)


def page_sizes(content: bytes) -> list[tuple[int, int]]:
    return [(int(p.mediabox.width), int(p.mediabox.height)) for p in PdfReader(BytesIO(content)).pages]


def test_one_pdf_with_the_label_then_the_slip_of_every_parcel(order_in_state, staff_client):
    # given two shipped orders, one parcel each
    first, second = order_in_state("shipped"), order_in_state("shipped")
    tracking = [Shipment.objects.get(order=o).tracking_number for o in (first, second)]

    # when both are selected on the work list
    response = staff_client("warehouse").get(URL, {"orders": [first.number, second.number]})

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert page_sizes(response.content) == [LABEL, A4, LABEL, A4]
    pages = pdf_pages(response.content)
    assert tracking[0] in pages[0] and first.number in pages[1]
    assert tracking[1] in pages[2] and second.number in pages[3]
    assert "Parcel 1 of 1" in pages[1]


def test_orders_without_a_label_are_left_out(order_in_state, staff_client):
    shipped, packing = order_in_state("shipped"), order_in_state("fulfilling")

    response = staff_client("warehouse").get(URL, {"orders": f"{packing.number},{shipped.number},NOPE"})

    assert response.status_code == 200
    assert len(page_sizes(response.content)) == 2


def test_nothing_with_a_label_is_a_friendly_409(order_in_state, staff_client):
    packing = order_in_state("fulfilling")

    response = staff_client("warehouse").get(URL, {"orders": packing.number})

    assert response.status_code == 409
    assert "No labels to print yet" in response.text
    assert packing.number in response.text


def test_the_work_list_offers_the_action_and_lists_shipped_orders(order_in_state, staff_client):
    # given
    shipped = order_in_state("shipped")

    # when the warehouse looks at shipped orders
    html = staff_client("warehouse").get("/dashboard/fulfillment/", {"status": "shipped"}).text

    # then it can tick them and print their papers
    assert f'value="{shipped.number}"' in html
    assert f'formaction="{URL}"' in html
    assert "Labels &amp; packing slips (PDF)" in html
