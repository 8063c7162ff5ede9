"""The storefront API takes an optional ``region`` and answers with it; bodies without one work as before."""

from orders.models import Order


def test_region_is_accepted_stored_and_returned(api, mug, order_body):
    # given
    order_body["shipping_address"].update(city="Denver", region="CO", postal_code="80202", country="US")

    # when
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="with-region")

    # then
    assert response.status_code == 201, response.content
    assert response.json()["shipping_address"]["region"] == "CO"
    order = Order.objects.select_related("shipping_address").get()
    assert order.shipping_address.region == "CO"
    shown = api.get(f"/api/v1/orders/{order.number}/").json()
    assert shown["shipping_address"]["region"] == "CO"
    assert shown["billing_address"]["region"] == "CO"


def test_a_body_without_region_still_places_the_order(api, mug, order_body):
    # given: an existing storefront client that has never heard of regions
    assert "region" not in order_body["shipping_address"]

    # when
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="no-region")

    # then
    assert response.status_code == 201, response.content
    assert response.json()["shipping_address"]["region"] == ""
    assert Order.objects.select_related("shipping_address").get().shipping_address.region == ""


def test_a_region_too_long_is_a_400_naming_the_field(api, mug, order_body):
    order_body["shipping_address"]["region"] = "x" * 101

    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY="long-region")

    assert response.status_code == 400
    assert "region" in response.json()["shipping_address"]
    assert not Order.objects.exists()
