"""Uptime monitors check pages with HEAD: the dashboard and portal answer it like GET."""

import pytest


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/orders/", "/dashboard/inventory/", "/dashboard/customers/"])
def test_dashboard_pages_answer_head(staff_client, url):
    response = staff_client("manager").head(url)

    assert response.status_code == 200


def test_portal_lookup_answers_head(client, db):
    response = client.head("/track/")

    assert response.status_code == 200
