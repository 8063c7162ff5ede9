"""The summary beside the form adds up: no shipping price while the basket is empty."""

from tests.dashboard.entry.helpers import entry_post

URL = "/dashboard/orders/new/"


def test_an_empty_basket_shows_no_shipping_price_and_a_zero_total(staff_client, mug):
    # when
    response = staff_client("order desk").get(URL)

    # then
    basket = response.context["basket"]
    assert (basket.shipping, basket.total) == (None, 0)
    summary = response.text[response.text.index('id="summary"') :]
    assert '<th scope="row">Shipping</th><td class="num">—</td>' in summary


def test_once_a_product_is_in_the_basket_shipping_is_priced_and_counted(staff_client, mug):
    # when
    response = staff_client("order desk").post(URL, entry_post(action="refresh", lines=[("MUG-1", "2")]))

    # then
    basket = response.context["basket"]
    assert basket.shipping is not None and basket.shipping > 0
    assert basket.total == basket.subtotal + basket.shipping + basket.tax
