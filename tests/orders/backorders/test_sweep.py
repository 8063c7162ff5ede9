"""Beat's sweep serves waiting orders even when no arrival told them: a task lost with the broker, or stock that
came back by a path that queues nothing, must not leave an order waiting until the next delivery."""

from django.conf import settings
from django.db.models import F

from inventory.models import StockItem, StockMovement
from orders.models import OrderStatus
from orders.tasks import backorders_sweep_task
from tests.orders.backorders.conftest import waiting
from tests.orders.concurrency.conftest import _assert_stock_consistent


def _units_arrive_silently(product, units: int) -> None:
    """Stock that came in while the allocation task was lost: on hand and the ledger, no task queued."""
    item = StockItem.objects.get(product=product)
    StockItem.objects.filter(pk=item.pk).update(on_hand=F("on_hand") + units)
    StockMovement.objects.create(stock_item=item, kind=StockMovement.Kind.RECEIPT, on_hand_delta=units)


def test_the_sweep_gives_waiting_orders_the_stock_that_is_there(place, lamp):
    # given an order shipping in parts that waits for 3 lamps, and one waiting whole for 4
    partial = place([("LAMP-1", 8)], ship_partial=True).order
    whole = place([("LAMP-1", 4)], ship_partial=False).order
    assert whole.status == OrderStatus.ON_HOLD
    assert waiting(partial) == [("LAMP-1", 8, 5, 3)]

    # when 10 lamps arrive without any task being queued, and beat's sweep runs
    _units_arrive_silently(lamp, 10)
    served = backorders_sweep_task()

    # then both orders have their stock (the earlier first), and the held one carries on
    assert served == 2
    assert waiting(partial) == [("LAMP-1", 8, 8, 0)]
    assert waiting(whole) == [("LAMP-1", 4, 4, 0)]
    whole.refresh_from_db()
    assert whole.status != OrderStatus.ON_HOLD
    _assert_stock_consistent()


def test_with_nothing_to_serve_the_sweep_does_nothing(place, lamp):
    order = place([("LAMP-1", 8)], ship_partial=True).order
    assert backorders_sweep_task() == 0  # no lamp free
    assert waiting(order) == [("LAMP-1", 8, 5, 3)]


def test_beat_runs_the_sweep():
    assert settings.CELERY_BEAT_SCHEDULE["allocate-backorders"]["task"] == "orders.tasks.backorders_sweep_task"
