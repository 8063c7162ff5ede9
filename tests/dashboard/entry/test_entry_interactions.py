"""Finding customers and products, building the basket: htmx partials and the plain-form fallback."""

from orders.models import Order
from tests.dashboard.entry.helpers import entry_post
from tests.factories import CustomerFactory, ProductFactory, StockItemFactory, WarehouseFactory

URL = "/dashboard/orders/new/"


def test_product_search_shows_available_stock_in_total_and_per_warehouse(staff_client, mug):
    StockItemFactory(product=mug, warehouse=WarehouseFactory(code="EAST", priority=5), on_hand=8, reserved=3)
    client = staff_client("order desk")

    response = client.get(f"{URL}products/", {"product_q": "mug"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Available 55 in total: MAIN 50 · EAST 5" in response.text
    assert 'value="add:MUG-1"' in response.text


def test_product_search_lists_only_products_for_sale(staff_client, mug):
    ProductFactory(sku="MUG-OLD", name="Old mug", is_active=False)
    client = staff_client("order desk")

    hits = client.get(f"{URL}products/", {"product_q": "mug"})
    none = client.get(f"{URL}products/", {"product_q": "zzz"})

    assert "MUG-OLD" not in hits.text
    assert "No product for sale matches" in none.text


def test_customer_search_suggests_by_name_email_or_phone(staff_client, db):
    CustomerFactory(name="Ann Example", email="ann@example.com", phone="+49 30 1234")
    CustomerFactory(name="Bob Other", email="bob@example.com")
    client = staff_client("order desk")

    by_phone = client.get(f"{URL}customers/", {"customer_q": "30 12"})
    by_email = client.get(f"{URL}customers/", {"customer_q": "BOB@"})
    too_short = client.get(f"{URL}customers/", {"customer_q": "a"})

    assert "Ann Example" in by_phone.text and "Bob Other" not in by_phone.text
    assert "Bob Other" in by_email.text
    assert "Pick" not in too_short.text


def test_plain_form_fallback_adds_removes_and_prices_lines(staff_client, mug):
    other = ProductFactory(sku="PLATE-1", price="4.00", weight_kg="1.000")
    StockItemFactory(product=other, warehouse=mug.stock_items.get().warehouse, on_hand=9)
    client = staff_client("order desk")

    added = client.post(URL, entry_post(action="add:PLATE-1", lines=[("MUG-1", "2")]))
    bumped = client.post(URL, entry_post(action="add:PLATE-1", lines=[("MUG-1", "2"), ("PLATE-1", "1")]))
    removed = client.post(URL, entry_post(action="remove:MUG-1", lines=[("MUG-1", "2"), ("PLATE-1", "2")]))

    basket = added.context["basket"]
    assert [(r.sku, r.quantity, r.line_total) for r in basket.rows] == [
        ("MUG-1", 2, 25),
        ("PLATE-1", 1, 4),
    ]
    assert basket.subtotal == 29
    assert "standard" in {q.method.code for q in basket.quotes}
    assert [(r.sku, r.quantity) for r in bumped.context["basket"].rows] == [("MUG-1", 2), ("PLATE-1", 2)]
    assert [r.sku for r in removed.context["basket"].rows] == ["PLATE-1"]
    assert not added.context["form"].errors  # editing shows no errors until staff place the order
    assert Order.objects.count() == 0


def test_shipping_quotes_follow_the_basket_weight(staff_client, mug):
    client = staff_client("order desk")

    one = client.post(URL, entry_post(action="refresh", lines=[("MUG-1", "1")]))
    ten = client.post(URL, entry_post(action="refresh", lines=[("MUG-1", "10")]))

    def standard(response):
        return next(q.price for q in response.context["basket"].quotes if q.method.code == "standard")

    assert standard(ten) > standard(one)
    assert f"· {standard(ten)}" in ten.text  # the quoted price is on the method's label


def test_picking_a_customer_with_htmx_returns_the_form_partial_with_their_address(staff_client, mug, commit):
    from tests.factories import OrderFactory

    with commit():
        order = OrderFactory(customer_email="kim@example.com", lines=[("MUG-1", 1)])
    client = staff_client("order desk")
    data = entry_post(action=f"customer:{order.customer_id}", customer_q="kim")
    for key in ("ship_name", "ship_line1", "ship_city", "ship_postal_code", "ship_country"):
        data[key] = ""

    response = client.post(URL, data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith("{# ") is False and "<html" not in response.text
    assert 'id="customer-section"' in response.text and 'id="summary"' in response.text
    assert response.context["form"].initial["ship_line1"] == "1 Main St"
    assert response.context["customer"] == order.customer


def test_the_empty_form_renders(staff_client, db):
    client = staff_client("order desk")

    response = client.get(URL)

    assert response.status_code == 200
    assert "No products yet" in response.text
    assert 'name="form_token"' in response.text
