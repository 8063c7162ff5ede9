"""The customer is emailed when the lines change or part is cancelled: what changed and the order now. The
change is one timeline entry, which marks the order for the reports and runs the event hooks."""

import pytest

from orders import services
from orders.models import Notification, OrderEvent
from reporting.models import DirtyOrder

pytestmark = pytest.mark.django_db


def test_an_edit_emails_the_customer_what_changed(confirmed, commit, mailoutbox):
    # given a confirmed order (its confirmation sent)
    order = confirmed()
    mailoutbox.clear()

    # when the mugs go to 3 and a cap is added
    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 3), ("TEE-1", 1), ("CAP-1", 1)], actor="test")

    # then the customer gets one "order updated" email with the change and the new total, in text and HTML
    [mail] = [m for m in mailoutbox if order.number in m.subject]
    assert mail.subject == f"Order {order.number} was changed"
    assert "was changed: MUG-1 2→3, CAP-1 ×1 added." in mail.body
    assert "Your card is charged 70.45 USD when the order ships" in mail.body
    html = mail.alternatives[0][0]
    assert "MUG-1 2→3, CAP-1 ×1 added" in html and "70.45" in html
    # and the timeline notes it was sent
    assert order.events.filter(note="Emailed the customer: order updated").count() == 1


def test_each_change_is_its_own_email(confirmed, commit, mailoutbox):
    order = confirmed()
    mailoutbox.clear()

    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 3), ("TEE-1", 1)], actor="test")
    with commit():
        services.order_lines_cancel(order_id=order.pk, lines=[("TEE-1", 1)], actor="test")

    told = [m for m in mailoutbox if order.number in m.subject]
    assert [m.subject for m in told] == [f"Order {order.number} was changed"] * 2
    assert "was changed: TEE-1 removed." in told[1].body
    assert Notification.objects.filter(order=order, kind__startswith="order_updated:").count() == 2


def test_a_change_is_one_timeline_entry_and_marks_the_order_for_reports(confirmed, commit):
    order = confirmed()
    DirtyOrder.objects.filter(order_id=order.pk).delete()
    events = OrderEvent.objects.filter(order=order).count()

    with commit():
        services.order_lines_change(order_id=order.pk, lines=[("MUG-1", 1)], actor="desk")

    changes = OrderEvent.objects.filter(order=order, note__startswith="Lines changed")
    assert changes.count() == 1
    assert changes.get().actor == "desk"
    assert changes.get().note.startswith("Lines changed: MUG-1 2→1, TEE-1 removed; total 49.95 → 17.45 USD.")
    # the change and the email's note: nothing else on the timeline
    assert OrderEvent.objects.filter(order=order).count() == events + 2
    assert DirtyOrder.objects.filter(order_id=order.pk).exists()
