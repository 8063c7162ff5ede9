"""What the demo adds for the Reports pages once its orders are dated: more ratings (so CSAT has a spread and a
trend), the hold history dated like the timeline it came from, and the report rollups rebuilt for the two months.

The orders themselves (two months of them, every status, holds, cancellations, carrier exceptions) come from
``orders.py``; this runs after it, through the same services, then moves times into the past as it does.
"""

import random
from datetime import timedelta

from django.utils import timezone

from orders.models import Feedback, Order, OrderEvent, OrderStatus
from orders.services import feedback_record
from reporting.filters import local_day
from reporting.models import OrderHold
from reporting.services import rebuild

# A shop that mostly pleases: the shares of each rating, and the comments customers leave with some.
RATING_WEIGHTS = {5: 46, 4: 28, 3: 12, 2: 8, 1: 6}
COMMENTS = {
    5: ["Perfect, thank you!", "Beautiful quality.", "Fast and well packed."],
    4: ["Nice, a little slow to arrive.", "Good, as described."],
    3: ["Fine, but the box was damaged.", "OK. Delivery took longer than I hoped."],
    2: ["One item was missing at first.", "Colour differs from the photo."],
    1: ["Arrived broken and nobody called back.", "Waited two weeks past the date given."],
}
RATED_SHARE = 0.45  # of the delivered orders not rated yet


def reports_seed(*, rng: random.Random) -> int:
    """Rate some delivered orders, date the hold history, rebuild the rollups; returns the ratings added."""
    rated = ratings_seed(rng=rng)
    holds_date()
    first = Order.objects.order_by("placed_at").values_list("placed_at", flat=True).first()
    if first is not None:
        rebuild(local_day(first), local_day(timezone.now()))
    return rated


def ratings_seed(*, rng: random.Random) -> int:
    now = timezone.now()
    delivered = list(
        Order.objects.filter(status__in=[OrderStatus.DELIVERED, OrderStatus.COMPLETED], feedback=None)
        .order_by("pk")
        .only("pk", "delivered_at")
    )
    chosen = [order for order in delivered if rng.random() < RATED_SHARE]
    for order in chosen:
        rating = rng.choices(list(RATING_WEIGHTS), list(RATING_WEIGHTS.values()))[0]
        comment = rng.choice(COMMENTS[rating]) if rng.random() < 0.5 else ""
        feedback_record(order_id=order.pk, rating=rating, comment=comment)
        at = min((order.delivered_at or now) + timedelta(hours=rng.uniform(3, 72)), now)
        Feedback.objects.filter(order=order).update(created_at=at)
        OrderEvent.objects.filter(order=order, note=f"Customer rated the order {rating}/5").update(at=at)
    return len(chosen)


def holds_date() -> None:
    """Each hold row takes the time of the timeline event it was written with (the demo dated the events after),
    and ends when the next event out of ``on_hold`` happened."""
    holds = list(OrderHold.objects.order_by("order_id", "pk"))
    by_order: dict[int, list[OrderHold]] = {}
    for hold in holds:
        by_order.setdefault(hold.order_id, []).append(hold)
    events = OrderEvent.objects.filter(order_id__in=by_order).filter(to_status=OrderStatus.ON_HOLD)
    ends = OrderEvent.objects.filter(order_id__in=by_order, from_status=OrderStatus.ON_HOLD)
    starts_of: dict[int, list] = {}
    for order_id, at in events.order_by("order_id", "pk").values_list("order_id", "at"):
        starts_of.setdefault(order_id, []).append(at)
    ends_of: dict[int, list] = {}
    for order_id, at in ends.order_by("order_id", "pk").values_list("order_id", "at"):
        ends_of.setdefault(order_id, []).append(at)
    for order_id, rows in by_order.items():
        for hold, held_at, released_at in zip(
            rows, starts_of.get(order_id, []), [*ends_of.get(order_id, []), *[None] * len(rows)], strict=False
        ):
            hold.held_at = held_at
            hold.released_at = released_at if hold.released_at is not None else None
    OrderHold.objects.bulk_update(holds, ["held_at", "released_at"], batch_size=500)
