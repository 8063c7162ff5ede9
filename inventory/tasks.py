from celery import shared_task

from inventory import notifications


@shared_task(queue="inventory")
def send_low_stock_alert_task(stock_item_id: int) -> None:
    notifications.low_stock_alert_send(stock_item_id=stock_item_id)
