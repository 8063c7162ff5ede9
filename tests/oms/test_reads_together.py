"""Several reads in one statement (``oms.reads_together``): each read answers as it would alone."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from oms.reads_together import counted, listed, read_together
from orders.models import Order


def test_counts_and_ids_come_back_by_read_in_one_statement(order_in_state):
    held = [order_in_state("on_hold") for _ in range(3)]
    shipped = order_in_state("shipped")
    on_hold = Order.objects.filter(status="on_hold")

    with CaptureQueriesContext(connection) as queries:
        found = read_together(
            [
                counted(on_hold),
                counted(on_hold, 2),  # stops counting at its limit
                listed(on_hold.order_by("-pk").values_list("pk", flat=True)[:2]),
                counted(Order.objects.filter(status="shipped")),
                listed(Order.objects.filter(status="cancelled").values_list("pk", flat=True)),
            ]
        )

    assert len(queries) == 1
    assert found[0] == [3] and found[1] == [2] and found[3] == [1] and found[4] == []
    assert sorted(found[2]) == sorted(o.pk for o in held)[-2:]
    assert shipped.pk not in found[2]


def test_a_read_no_row_can_meet_does_not_go_to_the_database(db):
    with CaptureQueriesContext(connection) as queries:
        found = read_together([counted(Order.objects.filter(pk__in=[])), listed(Order.objects.none())])

    assert found == [[0], []]
    assert len(queries) == 0
