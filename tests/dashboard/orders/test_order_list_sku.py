"""The order list's product filter: orders having a line with a given SKU (exact, any case)."""

import pytest

from orders.models import Order
from tests.factories import OrderFactory, ProductFactory, StockItemFactory


@pytest.fixture
def orders(commit, warehouse, order_in_state):
    """Two orders with a KIT-MUG-350 line (one held, with a second line), one order of another product only."""
    mug = StockItemFactory(product=ProductFactory(sku="KIT-MUG-350"), warehouse=warehouse, on_hand=50).product
    tea = StockItemFactory(product=ProductFactory(sku="TEA-100"), warehouse=warehouse, on_hand=50).product
    with commit():
        confirmed = OrderFactory(lines=[(mug.sku, 1)])
    held = order_in_state("on_hold", lines=[(tea.sku, 2), (mug.sku, 1)])
    with commit():
        other = OrderFactory(lines=[(tea.sku, 1)])
    return {"confirmed": Order.objects.get(pk=confirmed.pk), "held": held, "other": Order.objects.get(pk=other.pk)}


def numbers(response) -> set[str]:
    return {o.number for o in response.context["orders"]}


@pytest.mark.parametrize("sku", ["KIT-MUG-350", "kit-mug-350", "  Kit-Mug-350 "], ids=["exact", "lower", "mixed"])
def test_sku_filter_lists_the_orders_with_that_product(desk, orders, sku):
    response = desk.get("/dashboard/orders/", {"sku": sku})

    assert response.status_code == 200
    assert numbers(response) == {orders["confirmed"].number, orders["held"].number}


def test_sku_filter_is_an_exact_match_not_a_prefix(desk, orders):
    response = desk.get("/dashboard/orders/", {"sku": "KIT-MUG"})

    assert response.status_code == 200
    assert numbers(response) == set()
    assert "No orders match" in response.text


def test_unknown_sku_shows_the_empty_state_with_the_chip(desk, orders):
    response = desk.get("/dashboard/orders/", {"sku": "NO-SUCH-SKU"})

    assert numbers(response) == set()
    assert "No orders match" in response.text
    assert "Product: <strong>NO-SUCH-SKU</strong>" in response.text


def test_sku_combines_with_status(desk, orders):
    response = desk.get("/dashboard/orders/", {"sku": "kit-mug-350", "status": "on_hold"})

    assert numbers(response) == {orders["held"].number}


def test_sku_chip_links_to_the_list_without_it(desk, orders):
    response = desk.get("/dashboard/orders/", {"sku": "KIT-MUG-350", "status": "on_hold", "sort": "placed"})

    assert 'aria-label="Remove the product filter"' in response.text
    assert 'href="?status=on_hold&amp;sort=placed"' in response.text
    removed = desk.get("/dashboard/orders/?status=on_hold&sort=placed")
    assert "Remove the product filter" not in removed.text
    assert orders["held"].number in numbers(removed)


def test_sku_chip_and_customer_chip_each_remove_only_their_own(desk, orders):
    customer = orders["held"].customer_id

    response = desk.get("/dashboard/orders/", {"sku": "KIT-MUG-350", "customer": customer})

    assert numbers(response) == {orders["held"].number}
    assert f'href="?customer={customer}"' in response.text  # the product chip keeps the customer
    assert 'href="?sku=KIT-MUG-350"' in response.text  # the customer chip keeps the product


def test_sku_field_is_in_the_filter_form_and_htmx_gets_the_partial(desk, orders):
    page = desk.get("/dashboard/orders/")
    partial = desk.get("/dashboard/orders/", {"sku": "KIT-MUG-350"}, HTTP_HX_REQUEST="true")

    assert '<label for="id_sku">Product SKU</label>' in page.text
    assert partial.status_code == 200 and "<html" not in partial.text
    assert "Product: <strong>KIT-MUG-350</strong>" in partial.text


def test_an_unprintable_sku_is_refused_beside_the_field(desk, orders):
    response = desk.get("/dashboard/orders/", {"sku": "KIT\x01MUG"})

    assert response.status_code == 200
    assert 'id="id_sku-error"' in response.text
    assert len(numbers(response)) == 3  # an invalid filter is ignored, never a 500


def test_sku_filter_runs_a_fixed_number_of_queries(desk, orders, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        desk.get("/dashboard/orders/", {"sku": "KIT-MUG-350"})
