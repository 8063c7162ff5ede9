"""The customer portal shows the region unmasked, like the city, and still masks the street and postal code."""


def test_the_portal_shows_the_region_and_masks_the_rest(client, order_in_state, link, fresh_cache, denver):
    # given
    order = order_in_state("confirmed", shipping_address=denver)

    # when
    page = client.get(link(order)).content.decode()
    shown = page.split('<address class="address">')[1].split("</address>")[0]

    # then
    assert "Denver, CO 80•••" in shown
    assert "80202" not in page
    assert "1600 Blake St" not in page
