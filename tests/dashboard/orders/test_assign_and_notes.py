"""Assigning an order to a staff member and internal notes: in place with htmx, PRG without."""

from orders.models import Order, OrderNote
from tests.factories import StaffFactory


def test_assign_and_unassign(desk, order_in_state, colleague):
    order = order_in_state("confirmed")

    response = desk.post(f"/dashboard/orders/{order.number}/assign/", {"assignee": colleague.pk}, follow=True)

    assert "Assigned to Cora Lee." in response.text
    assert Order.objects.get(pk=order.pk).assigned_to == colleague
    assert order.events.last().note == "Assigned to Cora Lee"

    desk.post(f"/dashboard/orders/{order.number}/assign/", {"assignee": ""})

    assert Order.objects.get(pk=order.pk).assigned_to is None
    assert order.events.last().note == "Unassigned"


def test_assign_over_htmx_returns_the_card(desk, order_in_state, colleague):
    order = order_in_state("confirmed")

    response = desk.post(
        f"/dashboard/orders/{order.number}/assign/", {"assignee": colleague.pk}, HTTP_HX_REQUEST="true"
    )

    assert response.text.lstrip().startswith('<section class="card" id="assign-card"')
    assert "Cora Lee" in response.text and "Saved" in response.text


def test_only_active_staff_can_be_assigned(desk, order_in_state):
    order = order_in_state("confirmed")
    customer_user = StaffFactory(is_staff=False)
    events = order.events.count()

    response = desk.post(f"/dashboard/orders/{order.number}/assign/", {"assignee": customer_user.pk}, follow=True)

    assert "Choose a staff member." in response.text
    assert Order.objects.get(pk=order.pk).assigned_to is None and order.events.count() == events


def test_add_a_note(desk, order_in_state):
    order = order_in_state("confirmed")

    response = desk.post(f"/dashboard/orders/{order.number}/notes/", {"body": "Called the customer"}, follow=True)

    assert "Note added." in response.text and "Called the customer" in response.text
    note = OrderNote.objects.get(order=order)
    assert note.author == desk.user
    assert order.events.last().note == "Internal note: Called the customer"


def test_add_a_note_over_htmx(desk, order_in_state):
    order = order_in_state("confirmed")

    response = desk.post(
        f"/dashboard/orders/{order.number}/notes/", {"body": "Box was damaged"}, HTTP_HX_REQUEST="true"
    )

    assert response.text.lstrip().startswith('<section class="card" id="notes-card"')
    assert "Box was damaged" in response.text and "Note added." in response.text


def test_empty_note_is_refused_beside_the_field(desk, order_in_state):
    order = order_in_state("confirmed")

    response = desk.post(f"/dashboard/orders/{order.number}/notes/", {"body": "   "})

    assert response.status_code == 400
    assert 'id="id_body-error"' in response.text
    assert not OrderNote.objects.filter(order=order).exists()
