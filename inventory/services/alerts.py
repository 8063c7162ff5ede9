"""What other apps hear of stock: units that became available, and stock that fell to its reorder point."""

from django.conf import settings

from inventory.models import StockItem, stock_low_q
from oms import outbox


def stock_arrived(*, product_ids) -> None:
    """Units of these products became available (received, returned, counted up, released by an order):
    queue the tasks named in ``OMS_STOCK_ARRIVED_TASKS`` (each gets ``product_ids``) through the outbox, so
    they run after this transaction commits and survive a broker outage. Waiting orders are allocated that
    way without inventory knowing about orders."""
    ids = sorted({int(p) for p in product_ids})
    if not ids:
        return
    for task_name in settings.OMS_STOCK_ARRIVED_TASKS:
        outbox.enqueue(task_name, queue="inventory", product_ids=ids)


def stock_low_alert(*, stock_item_ids, fell: bool) -> None:
    """Keep the low-stock alert to one per dip, after the stock rows ``stock_item_ids`` changed (the caller
    holds their locks and has written the change).

    ``fell``: their available units went down (a reservation, an adjustment or write-off, a transfer pick, a
    count below the shelf figure). A row that is low now (``stock_low_q``, the rule the low-stock page uses)
    and not yet alerted is flagged and its alert queued. Otherwise they rose: a row above its reorder point
    again is re-armed, so the next dip alerts once more; a rise that leaves a row low keeps it flagged. One
    query when nothing crosses (a reservation is on the hot path of order placement).
    """
    ids = sorted(set(stock_item_ids))
    if not ids:
        return
    if not fell:
        StockItem.objects.filter(pk__in=ids, low_stock_alerted=True).exclude(stock_low_q()).update(
            low_stock_alerted=False
        )
        return
    crossed = list(
        StockItem.objects.filter(
            stock_low_q(), pk__in=ids, low_stock_alerted=False, product__is_active=True, warehouse__is_active=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not crossed:
        return
    StockItem.objects.filter(pk__in=crossed).update(low_stock_alerted=True)
    for pk in crossed:
        outbox.enqueue("inventory.tasks.send_low_stock_alert_task", queue="inventory", stock_item_id=pk)
