from django.conf import settings
from django.core.mail import send_mail

from inventory.models import StockItem


def low_stock_alert_send(*, stock_item_id: int) -> None:
    """Tell the warehouse a product runs low. The ``low_stock_alerted`` flag keeps this to one per dip."""
    item = StockItem.objects.select_related("product", "warehouse").get(pk=stock_item_id)
    if not settings.OMS_STOCK_ALERT_EMAILS:
        return
    send_mail(
        subject=f"Low stock: {item.product.sku} at {item.warehouse.code}",
        message=(
            f"{item.product.sku} {item.product.name} at {item.warehouse.name}: {item.available} available "
            f"({item.on_hand} on hand, {item.reserved} reserved), reorder point {item.product.reorder_point}."
        ),
        from_email=None,
        recipient_list=settings.OMS_STOCK_ALERT_EMAILS,
    )
