"""Customer support on an order: inquiries from the portal, answers by staff (sent by email), ratings.

Customers reach these through the portal's signed link; the actor they leave on the timeline is
"customer". Staff answer from the dashboard with the ``orders.answer_inquiry`` permission.
"""

from django.db import transaction
from django.utils import timezone

from oms.exceptions import ConflictError, InvalidInput, NotFound
from orders.exceptions import TransitionForbidden
from orders.models import Feedback, Inquiry
from orders.services.common import event_record, notify, order_lock
from orders.services.notifications import inquiry_reply_kind

CUSTOMER = "customer"
MESSAGE_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 2000


def _text(value: str, *, field: str, max_length: int, required: bool, what: str) -> str:
    """Trimmed text, or InvalidInput naming ``field`` (the form shows it beside the field)."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Write {what}.", code=f"{field}_required", fields={field: [f"Write {what}."]})
    if len(value) > max_length:
        problem = f"Keep it under {max_length} characters (this one has {len(value)})."
        raise InvalidInput(problem, code=f"{field}_too_long", fields={field: [problem]})
    if "\x00" in value:
        raise InvalidInput(
            "The text holds a character we cannot store.", fields={field: ["Remove control characters."]}
        )
    return value


def inquiry_create(*, order_id: int, message: str) -> Inquiry:
    """Store a customer's question about the order for staff to answer; the timeline shows it arrived.

    A few unanswered questions at a time per order: a leaked link must not flood the support queue. The same
    question while it is still open (a double click, a reloaded page) is the inquiry already stored.
    """
    message = _text(message, field="message", max_length=MESSAGE_MAX_LENGTH, required=True, what="your message")
    with transaction.atomic():
        order = order_lock(order_id=order_id)  # serialises the count of open inquiries below
        if same := Inquiry.objects.filter(order=order, answered_at=None, message=message).first():
            return same
        if not order.customer_may_ask(open_inquiries=Inquiry.objects.filter(order=order, answered_at=None).count()):
            raise ConflictError(
                "We have your earlier messages and will answer them soon; you can write again once we have.",
                code="too_many_open_inquiries",
            )
        inquiry = Inquiry.objects.create(order=order, message=message)
        event_record(order=order, actor=CUSTOMER, note="Customer inquiry")
    return inquiry


def inquiry_answer(*, inquiry_id: int, user, answer: str) -> Inquiry:
    """Answer an inquiry once; the customer gets the answer by email (exactly once per inquiry)."""
    if not user.has_perm("orders.answer_inquiry"):
        raise TransitionForbidden("You do not have permission to answer customer inquiries.")
    answer = _text(answer, field="answer", max_length=ANSWER_MAX_LENGTH, required=True, what="an answer")
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("order").filter(pk=inquiry_id).first()
        if inquiry is None:
            raise NotFound("No such inquiry.", code="inquiry_not_found")
        if inquiry.is_answered:
            raise ConflictError("This inquiry has been answered already.", code="inquiry_already_answered")
        inquiry.answer = answer
        inquiry.answered_by = user
        inquiry.answered_at = timezone.now()
        inquiry.save(update_fields=["answer", "answered_by", "answered_at"])
        event_record(order=inquiry.order, actor=user.get_username(), note="Customer inquiry answered by email")
        notify(inquiry.order, inquiry_reply_kind(inquiry.pk))
    return inquiry


def _rating(value) -> int:
    problem = "Choose a rating from 1 to 5 stars."
    if isinstance(value, bool):
        raise InvalidInput(problem, code="rating_invalid", fields={"rating": [problem]})
    try:
        rating = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(problem, code="rating_invalid", fields={"rating": [problem]}) from None
    if not 1 <= rating <= 5 or str(rating) != str(value).strip():
        raise InvalidInput(problem, code="rating_invalid", fields={"rating": [problem]})
    return rating


def feedback_record(*, order_id: int, rating: int, comment: str = "") -> Feedback:
    """The customer rates a delivered (or completed) order, once."""
    rating = _rating(rating)
    comment = _text(comment, field="comment", max_length=COMMENT_MAX_LENGTH, required=False, what="a comment")
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        rated = Feedback.objects.filter(order=order).exists()
        if not order.customer_may_rate(rated=rated):
            if rated:
                raise ConflictError("This order has been rated already.", code="already_rated")
            raise ConflictError("You can rate an order once it has been delivered.", code="not_delivered_yet")
        feedback = Feedback.objects.create(order=order, rating=rating, comment=comment)
        event_record(order=order, actor=CUSTOMER, note=f"Customer rated the order {rating}/5")
    return feedback
