"""On screen, each pick row leads to its order: the pack page for who packs, the order page for the others."""

import pytest

URL = "/dashboard/fulfillment/pick-list/"


@pytest.mark.parametrize(
    ("role", "target"), [("warehouse", "/dashboard/orders/{}/pack/"), ("order desk", "/dashboard/orders/{}/pack/")]
)
def test_each_pick_row_links_to_the_pack_page(order_in_state, kitchen, staff_client, role, target):
    # given
    order = order_in_state("fulfilling", lines=[("KIT-MUG", 1)])

    # when
    html = staff_client(role).get(URL, {"orders": order.number}).text

    # then
    assert f'<a class="order-link" href="{target.format(order.number)}">{order.number}</a>' in html


def test_without_the_right_to_ship_the_row_links_to_the_order_page(order_in_state, kitchen, staff_client):
    # given: a clerk who may start fulfillment (and so print pick lists) but not ship
    from django.contrib.auth.models import Permission

    order = order_in_state("fulfilling", lines=[("KIT-MUG", 1)])
    client = staff_client(None)
    client.user.user_permissions.add(
        *Permission.objects.filter(codename__in=["start_fulfillment", "view_order"], content_type__app_label="orders")
    )

    # when
    html = client.get(URL, {"orders": order.number}).text

    # then
    assert f'<a class="order-link" href="/dashboard/orders/{order.number}/">{order.number}</a>' in html
