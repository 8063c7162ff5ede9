from celery import shared_task

from inventory import notifications


@shared_task(queue="inventory")
def send_low_stock_alert_task(stock_item_id: int) -> None:
    notifications.low_stock_alert_send(stock_item_id=stock_item_id)


@shared_task(queue="inventory")
def send_purchase_order_task(purchase_order_id: int) -> None:
    from inventory import purchasing

    purchasing.purchase_order_email_send(purchase_order_id=purchase_order_id)
