from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from inventory.models import Product, StockItem


def product_list_for_storefront() -> QuerySet[Product]:
    """Active products with ``available`` = on hand minus reserved, summed over active warehouses."""
    active = Q(stock_items__warehouse__is_active=True)
    return (
        Product.objects.filter(is_active=True)
        .annotate(
            available=Coalesce(Sum("stock_items__on_hand", filter=active), 0)
            - Coalesce(Sum("stock_items__reserved", filter=active), 0)
        )
        .order_by("sku")
    )


def stock_item_list_for_product(*, product_id: int) -> QuerySet[StockItem]:
    return StockItem.objects.filter(product_id=product_id).select_related("warehouse").order_by("warehouse__priority")
