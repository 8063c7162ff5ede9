"""The order list's "Assigned to" filter: my orders, nobody's, or anyone's."""

from orders.models import Order
from tests.factories import StaffFactory


def test_assigned_to_me_lists_only_the_orders_assigned_to_the_signed_in_clerk(order_in_state, staff_client):
    # given
    desk = staff_client("order desk", username="dana")
    dana = desk.user
    cora = StaffFactory(role="order desk", username="cora")
    mine, theirs, nobodys = order_in_state("confirmed"), order_in_state("confirmed"), order_in_state("confirmed")
    Order.objects.filter(pk=mine.pk).update(assigned_to=dana)
    Order.objects.filter(pk=theirs.pk).update(assigned_to=cora)

    # when
    def listed(query: str) -> set[str]:
        return {o.number for o in desk.get(f"/dashboard/orders/?{query}").context["orders"]}

    # then
    assert listed("assigned=me") == {mine.number}
    assert listed("assigned=nobody") == {nobodys.number}
    assert listed("assigned=") == {mine.number, theirs.number, nobodys.number}


def test_an_unknown_assigned_value_is_shown_beside_the_field_not_a_500(order_in_state, desk):
    order_in_state("confirmed")

    response = desk.get("/dashboard/orders/?assigned=everyone")

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert len(response.context["orders"]) == 1


def test_the_filter_and_select_all_are_on_the_list(order_in_state, desk):
    order_in_state("confirmed")

    text = desk.get("/dashboard/orders/").text

    assert '<label for="id_assigned">Assigned to</label>' in text
    assert 'id="select-all"' in text
