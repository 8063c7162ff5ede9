"""The pack page: confirm lines, make parcels, choose a rate, ship; then the parcels with their papers."""

import re

from orders.models import LineAllocation, Order
from shipping.models import Shipment


def url(order) -> str:
    return f"/dashboard/orders/{order.number}/pack/"


def allocations(order) -> dict[str, LineAllocation]:
    return {a.line.sku: a for a in LineAllocation.objects.filter(line__order=order).select_related("line")}


def form_data(order, parcels: list[dict[str, int]], weights: list[str], *, service="standard", packed=None, **extra):
    """The POST the pack form sends: ``parcels`` are SKU → quantity, all from the order's one warehouse."""
    allocs = allocations(order)
    warehouse_id = next(iter(allocs.values())).warehouse_id
    data = {f"parcels-{warehouse_id}": str(len(parcels)), "service": service, "ship": "1", **extra}
    for sku, allocation in allocs.items():
        if packed is None or sku in packed:
            data[f"packed-{allocation.pk}"] = "on"
    for number, (contents, weight) in enumerate(zip(parcels, weights, strict=True), start=1):
        for sku, allocation in allocs.items():
            data[f"p-{warehouse_id}-{number}-{allocation.pk}"] = str(contents.get(sku, 0))
        data[f"p-{warehouse_id}-{number}-weight"] = weight
    return data


def test_the_form_lists_every_line_prefilled_in_one_parcel_and_quotes_rates(order_in_state, kitchen, staff_client):
    # given
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])
    allocs = allocations(order)

    # when
    response = staff_client("warehouse").get(url(order))

    # then
    html = response.text
    assert response.status_code == 200
    assert f'name="packed-{allocs["KIT-MUG"].pk}"' in html
    assert "Packed: 2 × KIT-MUG" in html
    warehouse_id = allocs["KIT-MUG"].warehouse_id
    assert f'name="p-{warehouse_id}-1-{allocs["KIT-MUG"].pk}" value="2"' in html
    assert f'name="p-{warehouse_id}-1-weight" value="3.300"' in html  # 2 × 0.4 + 2.5
    assert re.search(r'value="standard" required\s+checked>', html)
    assert "Standard (3–5 days)" in html and "Express (1–2 days)" in html
    assert "USD 6.60" in html  # 4.95 + 0.50 × 3.3 kg
    assert "customer's choice" in html


def test_add_a_parcel_keeps_what_was_typed_and_writes_nothing(order_in_state, kitchen, staff_client, order_snapshot):
    # given
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])
    before = order_snapshot(order)
    data = form_data(order, [{"KIT-MUG": 2}], ["0.9"], packed={"KIT-MUG"})
    data.pop("ship")
    warehouse_id = allocations(order)["KIT-MUG"].warehouse_id

    # when
    response = staff_client("warehouse").post(
        url(order), {**data, "add_parcel": str(warehouse_id)}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="pack-form"
    )

    # then
    html = response.text
    assert html.lstrip().startswith('<form id="pack-form"')
    assert "Parcel 2" in html
    assert f'name="p-{warehouse_id}-1-weight" value="0.9"' in html
    assert re.search(rf'name="packed-{allocations(order)["KIT-MUG"].pk}"[^>]*checked>', html)
    assert not re.search(rf'name="packed-{allocations(order)["KIT-PAN"].pk}"[^>]*checked>', html)
    assert 'class="error"' not in html
    assert order_snapshot(order) == before


def test_ship_in_two_parcels_by_express_shows_the_parcels_and_their_papers(
    order_in_state, kitchen, staff_client, commit
):
    # given
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])
    client = staff_client("warehouse")

    # when
    with commit():
        response = client.post(
            url(order), form_data(order, [{"KIT-MUG": 2}, {"KIT-PAN": 1}], ["0.9", "2.6"], service="express")
        )

    # then
    assert response.status_code == 302
    assert response.url == url(order)
    assert Order.objects.get(pk=order.pk).status == "shipped"
    shipments = list(Shipment.objects.filter(order=order).order_by("pk"))
    assert [(s.service, str(s.weight_kg)) for s in shipments] == [("express", "0.900"), ("express", "2.600")]
    page = client.get(url(order)).text
    assert f"Order {order.number} shipped" in page
    for shipment in shipments:
        assert shipment.tracking_number in page
        assert f"/dashboard/shipments/{shipment.pk}/label.pdf" in page
        assert f"/dashboard/shipments/{shipment.pk}/packing-slip.pdf" in page
    assert "Print label (PDF)" in page and "Packing slip (PDF)" in page
    assert "1 of 2" in page and "2 of 2" in page
    assert "hx-trigger" not in page, "no polling once every label is there"


def test_contents_not_adding_up_shows_the_error_beside_the_warehouse(
    order_in_state, kitchen, staff_client, order_snapshot
):
    # given
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])
    before = order_snapshot(order)

    # when
    response = staff_client("warehouse").post(url(order), form_data(order, [{"KIT-MUG": 1, "KIT-PAN": 1}], ["2.9"]))

    # then
    assert response.status_code == 200
    assert "KIT-MUG from MAIN: the parcels hold 1, 2 to ship." in response.text
    assert order_snapshot(order) == before


def test_unticked_line_and_bad_weight_are_shown_beside_their_inputs(
    order_in_state, kitchen, staff_client, order_snapshot
):
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2), ("KIT-PAN", 1)])
    before = order_snapshot(order)

    response = staff_client("warehouse").post(
        url(order), form_data(order, [{"KIT-MUG": 2}, {"KIT-PAN": 1}], ["0.9", "0"], packed={"KIT-MUG"})
    )

    html = response.text
    assert "Confirm that 1 × KIT-PAN from MAIN is packed." in html
    assert "The weight must be more than 0 kg." in html
    assert order_snapshot(order) == before


def test_malformed_input_is_refused_by_the_form(order_in_state, kitchen, staff_client, order_snapshot):
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 2)])
    before = order_snapshot(order)
    data = form_data(order, [{"KIT-MUG": 2}], ["heavy"])
    data["parcels-" + str(allocations(order)["KIT-MUG"].warehouse_id)] = "many"

    response = staff_client("warehouse").post(url(order), data)

    assert response.status_code == 200
    assert "Enter a number." in response.text
    assert order_snapshot(order) == before


def test_confirmed_order_offers_to_start_fulfillment(order_in_state, staff_client):
    order = order_in_state("confirmed")

    html = staff_client("warehouse").get(url(order)).text

    assert "Start fulfillment first" in html
    assert f"/dashboard/orders/{order.number}/start-fulfillment/" in html


def test_post_on_an_order_not_in_fulfillment_changes_nothing(order_in_state, staff_client, order_snapshot):
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    response = staff_client("warehouse").post(url(order), {"ship": "1"}, follow=True)

    assert "nothing to pack" in response.text
    assert order_snapshot(order) == before


def test_unknown_order_is_404(staff_client, db):
    assert staff_client("warehouse").get("/dashboard/orders/NOPE-1/pack/").status_code == 404


def test_pending_label_polls_until_the_tracking_number_is_there(order_in_state, staff_client):
    # given a shipped order whose label a worker has not bought yet
    order = order_in_state("shipped")
    Shipment.objects.filter(order=order).update(tracking_number=None, status="label_pending")
    client = staff_client("warehouse")

    # when
    page = client.get(url(order)).text
    partial = client.get(f"/dashboard/orders/{order.number}/pack/shipments/", HTTP_HX_REQUEST="true")

    # then
    assert 'hx-trigger="every 2s"' in page
    assert "Buying labels from the carrier" in page
    assert "Print label (PDF)" not in page
    assert 'hx-trigger="every 2s"' in partial.text

    # and once the label is there, the partial stops polling and offers it
    Shipment.objects.filter(order=order).update(tracking_number="DMO000000000042", status="label_created")
    partial = client.get(f"/dashboard/orders/{order.number}/pack/shipments/", HTTP_HX_REQUEST="true")
    assert "DMO000000000042" in partial.text
    assert "hx-trigger" not in partial.text
    assert "Print label (PDF)" in partial.text
