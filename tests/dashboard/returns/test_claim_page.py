"""Staff settle a claim on a lost or damaged parcel from the order page: reship or refund, by permission."""

import pytest

from orders.models import Order
from payments.models import Payment, Refund

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mug")]


def _claim(client, order, *, action: str, quantity: int = 1, note: str = "Carrier lost the parcel"):
    line = order.lines.get()
    body = {"action": action, "note": note, f"quantity-{line.pk}": quantity}
    return client.post(f"/dashboard/orders/{order.number}/claims/new/", body)


def test_the_order_page_offers_a_claim_on_shipped_goods(staff_client, order_in_state):
    order = order_in_state("in_transit", lines=[("MUG-1", 2)])

    page = staff_client("manager").get(f"/dashboard/orders/{order.number}/").content.decode()

    assert f"/dashboard/orders/{order.number}/claims/new/" in page


def test_a_reship_claim_places_a_replacement_at_no_charge(staff_client, order_in_state, commit):
    order = order_in_state("in_transit", lines=[("MUG-1", 2)])
    client = staff_client("support")

    with commit():
        answer = _claim(client, order, action="reship", quantity=2)

    assert answer.status_code == 302
    replacement = Order.objects.exclude(pk=order.pk).get()
    assert Payment.objects.get(order=replacement).amount == 0
    assert order.events.filter(note__startswith="Claim: reshipped 2 × MUG-1 at no charge").exists()


def test_a_refund_claim_refunds_the_lines(staff_client, order_in_state, commit):
    order = order_in_state("delivered", lines=[("MUG-1", 2)])

    with commit():
        answer = _claim(staff_client("finance"), order, action="refund", quantity=1)

    assert answer.status_code == 302
    assert Refund.objects.filter(payment__order=order).count() == 1


@pytest.mark.parametrize(("role", "action"), [("support", "refund"), ("warehouse", "reship"), ("finance", "reship")])
def test_a_claim_beyond_the_role_is_refused_and_changes_nothing(staff_client, order_in_state, role, action):
    order = order_in_state("in_transit", lines=[("MUG-1", 2)])

    answer = _claim(staff_client(role), order, action=action)

    assert answer.status_code == 403
    assert Order.objects.count() == 1
    assert not Refund.objects.exists()


def test_a_claim_without_a_quantity_or_a_note_is_shown_back_with_the_error(staff_client, order_in_state):
    order = order_in_state("in_transit", lines=[("MUG-1", 2)])

    answer = _claim(staff_client("manager"), order, action="reship", quantity=0, note="")

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Choose at least one item the claim is about." in page
    assert Order.objects.count() == 1


def test_an_order_not_shipped_cannot_be_claimed(staff_client, order_in_state):
    order = order_in_state("confirmed", lines=[("MUG-1", 2)])
    client = staff_client("manager")

    assert "No claim possible" in client.get(f"/dashboard/orders/{order.number}/claims/new/").content.decode()
    answer = _claim(client, order, action="reship")

    # the refusal comes back as a message on the order page; nothing is made
    assert answer.status_code == 302
    assert "only shipped goods can be claimed" in client.get(answer.url).content.decode()
    assert Order.objects.count() == 1
