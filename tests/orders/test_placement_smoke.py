def test_storefront_order_is_confirmed_after_commit(api, mug, order_body, commit, mailoutbox):
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    assert response.status_code == 201
    detail = api.get(f"/api/v1/orders/{response.json()['number']}/").json()
    assert detail["status"] == "confirmed"
    assert [m.subject for m in mailoutbox] == [f"Order {detail['number']} confirmed"]
