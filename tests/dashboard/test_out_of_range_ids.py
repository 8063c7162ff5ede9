"""Ids too large for the database, in a URL or a form, get an ordinary answer, never a server error."""

import pytest

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/dashboard/orders/?customer={HUGE}",
        f"/dashboard/orders/?warehouse={HUGE}",
        f"/dashboard/fulfillment/?warehouse={HUGE}",
        f"/dashboard/orders/new/?customer={HUGE}",
        f"/dashboard/customers/{HUGE}/",
        f"/dashboard/inventory/?warehouse={HUGE}",
        f"/dashboard/inventory/low/?warehouse={HUGE}",
        f"/dashboard/shipments/{HUGE}/label.pdf",
    ],
)
def test_huge_id_in_the_url_is_not_a_server_error(staff_client, url):
    response = staff_client("manager").get(url)

    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("data", [{"customer": HUGE, "action": "refresh"}, {"action": f"customer:{HUGE}"}])
def test_huge_customer_id_in_order_entry_is_not_a_server_error(staff_client, data):
    response = staff_client("manager").post("/dashboard/orders/new/", data)

    assert response.status_code in (200, 400)
