"""Customer support reads the order domain shares with every face and the emails: what a customer is told
about a hold, and the inquiries of an order."""

from dataclasses import dataclass

from django.db.models import QuerySet

from orders.models import HoldReason, Inquiry


@dataclass(frozen=True)
class HoldAdvice:
    """What a customer reads about a hold: a headline, what happens next, and whether they can fix it."""

    title: str
    text: str
    customer_can_fix: bool


# By hold reason. Only the holds a customer can fix get an email; the portal explains every hold, without
# saying more than the customer needs (a fraud review is "a routine check").
HOLD_ADVICE = {
    HoldReason.PAYMENT_FAILED: HoldAdvice(
        "Your payment did not go through",
        "Please contact us (send us a message from your order page, or reply to our email) and we will help you pay "
        "another way. Your items stay reserved for you in the meantime.",
        True,
    ),
    HoldReason.CREDIT: HoldAdvice(
        "Your account's credit limit is reached",
        "Please contact us to settle open invoices or to pay this order another way; we ship as soon as that is done.",
        True,
    ),
    HoldReason.ADDRESS_PROBLEM: HoldAdvice(
        "We could not confirm your delivery address",
        "Please send us the full, correct delivery address (a message from your order page, or a reply to our email) "
        "so we can ship your order.",
        True,
    ),
    HoldReason.OUT_OF_STOCK: HoldAdvice(
        "An item is waiting for new stock",
        "We go on as soon as it arrives. If you would rather not wait, you can cancel the order.",
        False,
    ),
    HoldReason.FRAUD_REVIEW: HoldAdvice(
        "We are making a routine check",
        "This usually takes less than a day. You do not need to do anything.",
        False,
    ),
    HoldReason.CUSTOMER_REQUEST: HoldAdvice(
        "Paused at your request",
        "Send us a message when you would like us to go on with your order.",
        False,
    ),
}
HOLD_ADVICE_OTHER = HoldAdvice(
    "We are looking into something",
    "We need to check something before we can go on. If you have questions, send us a message.",
    False,
)
CUSTOMER_FIXABLE_HOLDS = frozenset(reason for reason, advice in HOLD_ADVICE.items() if advice.customer_can_fix)


def hold_advice(reason: str) -> HoldAdvice:
    return HOLD_ADVICE.get(reason, HOLD_ADVICE_OTHER)


def inquiry_list_for_order(*, order_id: int) -> QuerySet[Inquiry]:
    """An order's customer inquiries, oldest first, with who answered them (for the staff order page)."""
    return Inquiry.objects.filter(order_id=order_id).select_related("answered_by").order_by("created_at", "pk")


def inquiry_get(*, inquiry_id: int) -> Inquiry:
    """One inquiry with its order and customer, for the reply email."""
    return Inquiry.objects.select_related("order__customer", "answered_by").get(pk=inquiry_id)
