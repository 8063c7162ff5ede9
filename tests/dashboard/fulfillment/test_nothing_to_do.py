"""With no order to work on, or none chosen, each fulfillment page says so instead of showing an empty page."""

import pytest


@pytest.mark.parametrize(
    ("url", "status", "said"),
    [
        ("/dashboard/fulfillment/", 200, "Nothing to pick or pack"),
        ("/dashboard/fulfillment/pick-list/", 200, "Which orders?"),
        ("/dashboard/fulfillment/documents.pdf", 409, "No labels to print yet"),
    ],
    ids=["work list", "pick list without orders", "labels and slips without orders"],
)
def test_a_page_with_nothing_to_do_says_so(staff_client, db, url, status, said):
    response = staff_client("warehouse").get(url)

    assert response.status_code == status
    assert said in response.text
