"""What the fraud review pages show: the queue, one held order with its customer's history, the settings."""

from django.db.models import Count, Q, QuerySet, Sum

from orders.models import DenyListEntry, HoldReason, Order, OrderStatus
from orders.services.risk import DEFAULT_RULES, RULE_FIELDS, risk_hold_score, risk_rules

HISTORY_SIZE = 20


def review_queue() -> QuerySet[Order]:
    """Orders held by fraud screening, oldest first (the ones waiting longest)."""
    return (
        Order.objects.filter(status=OrderStatus.ON_HOLD, hold_reason=HoldReason.FRAUD_REVIEW)
        .select_related("customer", "shipping_address", "billing_address")
        .order_by("placed_at", "pk")
    )


def review_order_get(*, number: str) -> Order | None:
    return (
        Order.objects.filter(number=number)
        .select_related("customer", "shipping_address", "billing_address", "storefront")
        .prefetch_related("lines")
        .first()
    )


def customer_history(*, order: Order) -> dict:
    """The customer's other orders (latest first) and what they add up to."""
    others = Order.objects.filter(customer_id=order.customer_id).exclude(pk=order.pk)
    totals = others.aggregate(
        count=Count("pk"),
        cancelled=Count("pk", filter=Q(status=OrderStatus.CANCELLED)),
        completed=Count("pk", filter=Q(status__in=[OrderStatus.DELIVERED, OrderStatus.COMPLETED])),
        spent=Sum("total", filter=~Q(status=OrderStatus.CANCELLED)),
    )
    return {"orders": list(others.order_by("-placed_at")[:HISTORY_SIZE]), **totals}


def risk_settings() -> dict:
    """Every rule with its current settings and which of them it uses, the hold score, the deny list."""
    rules = risk_rules()
    return {
        "rules": [
            {"code": code, "label": code.label, "settings": rules[code], "uses": RULE_FIELDS[code]}
            for code in DEFAULT_RULES
        ],
        "hold_score": risk_hold_score(),
        "deny_list": list(DenyListEntry.objects.all()[:500]),
    }
