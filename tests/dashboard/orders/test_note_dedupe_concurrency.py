"""Two posts of the same note racing each other (real PostgreSQL transactions) end as one note, one event."""

import pytest

from orders.models import OrderEvent, OrderNote
from orders.services.desk import order_note_add
from tests.factories import OrderFactory, StaffFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 3


def test_two_concurrent_posts_of_the_same_note_make_one(
    postgres_only, parallel, transactional_db, reference_data, warehouse
):
    clerk = StaffFactory(role="order desk")
    for _ in range(ROUNDS):
        order = OrderFactory()

        notes = parallel(
            [lambda pk=order.pk: order_note_add(order_id=pk, user=clerk, body="Double click") for _ in "ab"]
        )

        assert notes[0].pk == notes[1].pk
        assert OrderNote.objects.filter(order=order).count() == 1
        assert OrderEvent.objects.filter(order=order, note="Internal note: Double click").count() == 1
