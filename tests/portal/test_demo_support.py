"""The demo's support data: inquiries (answered and open) and ratings, made through the services."""

import random

from dashboard.management.demo.support import INQUIRIES, support_seed
from orders.models import Feedback, Inquiry
from tests.factories import StaffFactory


def test_support_seed_adds_inquiries_and_ratings(order_in_state, mailoutbox, commit):
    # given: a few orders a customer might write about or rate
    for state in ("confirmed", "shipped", "on_hold", "delivered", "completed"):
        order_in_state(state)
    support = StaffFactory(role="support", username="support")

    # when
    with commit():
        asked, rated = support_seed(rng=random.Random(1), support_user=support)

    # then
    assert (asked, rated) == (3, 2)
    answered = Inquiry.objects.exclude(answered_at=None)
    expected = sum(1 for _, answer in INQUIRIES[:3] if answer)
    assert answered.count() == expected and Inquiry.objects.filter(answered_at=None).count() == 3 - expected
    assert all(i.answered_at >= i.created_at >= i.order.placed_at for i in answered)
    assert Feedback.objects.count() == 2
    assert sum(m.subject.startswith("Re: your message") for m in mailoutbox) == expected
