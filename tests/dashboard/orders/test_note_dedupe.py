"""A note posted twice (a double click, a resent form) is one note with one timeline event."""

from datetime import timedelta

from orders.models import OrderNote
from orders.services.desk import NOTE_REPEAT_WINDOW, order_note_add
from tests.factories import StaffFactory


def _note(client, order, body):
    return client.post(f"/dashboard/orders/{order.number}/notes/", {"body": body})


def _events(order) -> int:
    return order.events.filter(note__startswith="Internal note:").count()


def test_a_double_post_makes_one_note_and_one_event(desk, order_in_state):
    order = order_in_state("confirmed")

    first = _note(desk, order, "Customer asked to ship after Friday")
    second = _note(desk, order, "  Customer asked to ship after Friday ")

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(OrderNote.objects.filter(order=order).values_list("body", flat=True)) == [
        "Customer asked to ship after Friday"
    ]
    assert _events(order) == 1


def test_a_double_post_by_htmx_also_makes_one_note(desk, order_in_state):
    order = order_in_state("confirmed")

    for _ in range(2):
        response = desk.post(
            f"/dashboard/orders/{order.number}/notes/", {"body": "Called, no answer"}, HTTP_HX_REQUEST="true"
        )

    assert response.status_code == 200
    assert response.text.count("Called, no answer") == 1
    assert OrderNote.objects.filter(order=order).count() == 1


def test_different_text_makes_two_notes(desk, order_in_state):
    order = order_in_state("confirmed")

    _note(desk, order, "Called, no answer")
    _note(desk, order, "Called again, left a message")

    assert OrderNote.objects.filter(order=order).count() == 2
    assert _events(order) == 2


def test_the_same_text_by_a_colleague_is_a_note_of_its_own(desk, order_in_state):
    order = order_in_state("confirmed")
    clerk, colleague = StaffFactory(role="order desk"), StaffFactory(role="order desk")

    mine = order_note_add(order_id=order.pk, user=clerk, body="Checked the address")
    theirs = order_note_add(order_id=order.pk, user=colleague, body="Checked the address")

    assert mine.pk != theirs.pk
    assert _events(order) == 2


def test_the_same_text_on_another_order_is_a_note_of_its_own(order_in_state):
    clerk = StaffFactory(role="order desk")
    one, two = order_in_state("confirmed"), order_in_state("confirmed")

    first = order_note_add(order_id=one.pk, user=clerk, body="VIP customer")
    second = order_note_add(order_id=two.pk, user=clerk, body="VIP customer")

    assert first.pk != second.pk


def test_the_service_returns_the_note_already_written(order_in_state):
    order = order_in_state("confirmed")
    clerk = StaffFactory(role="order desk")

    first = order_note_add(order_id=order.pk, user=clerk, body="Gift wrap")
    again = order_note_add(order_id=order.pk, user=clerk, body="Gift wrap")

    assert again.pk == first.pk
    assert _events(order) == 1


def test_the_same_text_after_the_window_is_a_new_note(order_in_state):
    order = order_in_state("confirmed")
    clerk = StaffFactory(role="order desk")
    first = order_note_add(order_id=order.pk, user=clerk, body="Still waiting for the customer")
    OrderNote.objects.filter(pk=first.pk).update(created_at=first.created_at - NOTE_REPEAT_WINDOW - timedelta(1))

    later = order_note_add(order_id=order.pk, user=clerk, body="Still waiting for the customer")

    assert later.pk != first.pk
    assert _events(order) == 2
