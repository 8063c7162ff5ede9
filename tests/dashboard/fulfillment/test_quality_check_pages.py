"""The quality-check pages: the work list, the checklist of a packed order, and who may use them."""

from decimal import Decimal

import pytest
from django.test import Client

from orders.models import LineAllocation, Order
from shipping.models import QualityCheck
from tests.dashboard.roles import ROLES
from tests.factories import ProductFactory, StaffFactory, StockItemFactory

INSPECTORS = {"warehouse", "manager"}  # shipping.perform_qc


@pytest.fixture
def packed(order_in_state, warehouse, commit):
    """A camera packed through the pack page: it waits for its check (serial to record)."""
    camera = ProductFactory(
        sku="CAM-1", name="Camera", weight_kg=Decimal("0.8"), requires_qc=True, qc_checks=["serial"]
    )
    StockItemFactory(product=camera, warehouse=warehouse, on_hand=5)
    order = order_in_state("fulfilling", lines=[("CAM-1", 1)])
    allocation = LineAllocation.objects.get(line__order=order)
    w = allocation.warehouse_id
    client = Client()
    client.force_login(StaffFactory(role="warehouse"))
    with commit():
        response = client.post(
            f"/dashboard/orders/{order.number}/pack/",
            {
                f"packed-{allocation.pk}": "on",
                f"parcels-{w}": "1",
                f"p-{w}-1-{allocation.pk}": "1",
                f"p-{w}-1-weight": "0.9",
                "service": "standard",
                "ship": "1",
            },
        )
    assert response.status_code == 302
    assert response.url == f"/dashboard/orders/{order.number}/quality-check/"
    return order


def checklist(order, *, serial="SN-42", damage_ok=True, on_fail="") -> dict:
    line = QualityCheck.objects.get(order=order, status="pending").lines.get()
    data = {f"lines.{line.pk}.check.0": "on", f"lines.{line.pk}.serial": serial, "on_fail": on_fail}
    if damage_ok:
        data[f"lines.{line.pk}.check.1"] = "on"
    return data


@pytest.mark.parametrize("role", ROLES)
def test_who_may_check_quality(role, packed, staff_client, commit):
    # given
    client = staff_client(role)

    # when
    work_list = client.get("/dashboard/fulfillment/quality-checks/")
    with commit():
        answer = client.post(f"/dashboard/orders/{packed.number}/quality-check/", checklist(packed))

    # then
    status = Order.objects.get(pk=packed.pk).status
    if role in INSPECTORS:
        assert work_list.status_code == 200 and packed.number in work_list.text
        assert answer.status_code == 302 and status == "shipped"
    else:
        assert work_list.status_code == 403 and answer.status_code == 403
        assert status == "fulfilling"


def test_the_pack_page_waits_for_the_check(packed, staff_client):
    # when
    page = staff_client("warehouse").get(f"/dashboard/orders/{packed.number}/pack/")

    # then
    assert "Waiting for its quality check" in page.text
    assert f"/dashboard/orders/{packed.number}/quality-check/" in page.text


def test_a_missing_serial_is_told_beside_its_field(packed, staff_client):
    # when
    response = staff_client("warehouse").post(
        f"/dashboard/orders/{packed.number}/quality-check/", checklist(packed, serial="")
    )

    # then
    assert response.status_code == 400
    assert "Record the serial of CAM-1." in response.text
    assert QualityCheck.objects.get(order=packed).status == "pending"


def test_a_failed_check_holds_the_order(packed, staff_client):
    # when
    response = staff_client("warehouse").post(
        f"/dashboard/orders/{packed.number}/quality-check/", checklist(packed, damage_ok=False, on_fail="hold")
    )

    # then
    assert response.status_code == 302
    order = Order.objects.get(pk=packed.pk)
    assert (order.status, order.hold_reason) == ("on_hold", "quality")
