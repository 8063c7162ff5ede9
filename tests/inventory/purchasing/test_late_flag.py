"""A purchase order past its expected date with goods still to come is late: flagged, and listed first."""

from datetime import timedelta

from django.utils import timezone

from inventory import purchasing, selectors


def test_late_is_past_the_expected_date_and_not_fully_received(make_po, mug, buyer):
    today = timezone.localdate()
    late = make_po({mug: 4}, expected_date=today - timedelta(days=3))
    due_today = make_po({mug: 4}, expected_date=today)
    arrived = make_po({mug: 4}, expected_date=today - timedelta(days=5))
    purchasing.purchase_order_receive(number=arrived.number, quantities={arrived.lines.get().pk: 4}, user=buyer)
    part = make_po({mug: 4}, expected_date=today - timedelta(days=1))
    purchasing.purchase_order_receive(number=part.number, quantities={part.lines.get().pk: 1}, user=buyer)
    cancelled = make_po({mug: 4}, expected_date=today - timedelta(days=9))
    purchasing.purchase_order_cancel(number=cancelled.number, user=buyer)

    rows = list(selectors.purchase_order_list_for_staff(late_first=True))

    flagged = {row.number: row.late for row in rows}
    assert flagged == {late.number: True, part.number: True, due_today.number: False, arrived.number: False,
                       cancelled.number: False}  # fmt: skip
    assert [row.number for row in rows[:2]] == [late.number, part.number]  # late first, the oldest date first
    assert {row.number for row in selectors.purchase_order_list_for_staff(status="late")} == {late.number, part.number}
    assert [selectors.purchase_order_get(number=n).is_late for n in (late.number, arrived.number)] == [True, False]
