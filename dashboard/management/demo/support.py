"""The demo's customer support: questions sent from the portal, some answered, and ratings of delivered orders."""

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from orders.models import Feedback, Inquiry, Order, OrderEvent, OrderStatus
from orders.services import feedback_record, inquiry_answer, inquiry_create
from orders.services.notifications import email_event_note, inquiry_reply_kind

# Customer support in the demo: questions sent from the portal (answer None: still open) and ratings.
INQUIRIES = [
    (
        "Could you deliver after 5 pm? Nobody is home during the day.",
        "Of course: we asked the carrier to come after 5 pm.",
    ),
    ("Can I still add a second one of these to my order?", None),
    (
        "Please make the invoice out to my company, Oakridge Interiors.",
        "Done: the invoice in the parcel names Oakridge Interiors.",
    ),
    ("Is this a gift box? It is a present for my mother.", None),
    (
        "My card was declined. Can I pay by bank transfer instead?",
        "Yes: reply to this email and we send you our bank details.",
    ),
    ("The street name in my address is misspelt, it should be Mill Road.", None),
]
RATINGS = [
    (5, "Arrived a day early and very well packed."),
    (4, "Good quality. One box was a little dented."),
    (5, ""),
    (3, "Took two days longer than promised."),
    (5, "Lovely, will order again."),
    (2, "The mug arrived chipped; support sent a new one quickly."),
    (4, ""),
]


def support_seed(*, rng: random.Random, support_user: User) -> tuple[int, int]:
    """Inquiries (answered and open) on recent orders and ratings on delivered ones, made through the services.

    Returns (inquiries, ratings). Times are moved to when the customer would have written, after the order.
    Answered inquiries send their reply email like any other (to the demo mail folder).
    """
    now = timezone.now()
    active = [OrderStatus.CONFIRMED, OrderStatus.FULFILLING, OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT]
    candidates = list(Order.objects.filter(status__in=[*active, OrderStatus.ON_HOLD]).order_by("pk"))
    asked = 0
    for (question, answer), order in zip(
        INQUIRIES, rng.sample(candidates, min(len(INQUIRIES), len(candidates))), strict=False
    ):
        inquiry = inquiry_create(order_id=order.pk, message=question)
        written = order.placed_at + (now - order.placed_at) * rng.uniform(0.2, 0.5)
        Inquiry.objects.filter(pk=inquiry.pk).update(created_at=written)
        OrderEvent.objects.filter(order=order, note="Customer inquiry").update(at=written)
        if answer is not None:
            inquiry_answer(inquiry_id=inquiry.pk, user=support_user, answer=answer)
            answered = written + min(timedelta(hours=rng.uniform(1, 6)), (now - written) / 2)
            Inquiry.objects.filter(pk=inquiry.pk).update(answered_at=answered)
            notes = ["Customer inquiry answered by email", email_event_note(inquiry_reply_kind(inquiry.pk))]
            OrderEvent.objects.filter(order=order, note__in=notes).update(at=answered)
        asked += 1
    delivered = list(
        Order.objects.filter(status__in=[OrderStatus.DELIVERED, OrderStatus.COMPLETED], feedback=None).order_by("pk")
    )
    rated = 0
    for (rating, comment), order in zip(
        RATINGS, rng.sample(delivered, min(len(RATINGS), len(delivered))), strict=False
    ):
        feedback_record(order_id=order.pk, rating=rating, comment=comment)
        at = (order.delivered_at or now) + timedelta(hours=rng.uniform(2, 48))
        at = min(at, now)
        Feedback.objects.filter(order=order).update(created_at=at)
        OrderEvent.objects.filter(order=order, note=f"Customer rated the order {rating}/5").update(at=at)
        rated += 1
    return asked, rated
