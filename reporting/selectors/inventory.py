"""Inventory: what the stock is worth and how long it lasts.

- ``stock value``: units on hand × the product's list price (products carry no cost price), per warehouse.
- ``velocity``: units per day of the 30 shop days up to the end of the window, of orders placed then and not
  cancelled (the per-SKU daily rollup).
- ``days of cover``: available units (on hand − reserved) / velocity; None for a SKU that did not sell.
- ``below reorder point``: available units of the SKU (all warehouses, or the filtered one) at or below its
  reorder point.
- ``slow movers``: active SKUs with stock on hand that sold least in those 30 days, by stock value.
The channel and storefront of the filter narrow the sales; the warehouse narrows stock and sales.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum

from inventory.models import StockItem
from oms.db_router import read_from_replica
from reporting.models import DailySkuRollup
from reporting.selectors.rollups import scope_q

VELOCITY_DAYS = 30


def _stock(filters):
    items = StockItem.objects.filter(product__is_active=True).order_by()
    if filters.warehouse:
        items = items.filter(warehouse_id=filters.warehouse)
    return items


def stock_value(*, filters) -> dict:
    """Units and value on hand per warehouse and in total."""
    value = ExpressionWrapper(
        F("on_hand") * F("product__price"), output_field=DecimalField(max_digits=18, decimal_places=2)
    )
    rows = list(
        _stock(filters)
        .values("warehouse__code")
        .annotate(units=Sum("on_hand"), value=Sum(value))
        .order_by("warehouse__code")
    )
    for row in rows:
        row["value"] = (row["value"] or Decimal(0)).quantize(Decimal("0.01"))
    return {
        "by_warehouse": rows,
        "units": sum(row["units"] or 0 for row in rows),
        "value": sum((row["value"] for row in rows), Decimal("0.00")),
    }


def units_sold(*, filters) -> dict[str, int]:
    """Units per SKU over the ``VELOCITY_DAYS`` shop days up to ``date_to`` (cancelled orders left out), from
    the per-SKU daily rollup narrowed like every other figure."""
    first = filters.date_to - timedelta(days=VELOCITY_DAYS - 1)
    rows = DailySkuRollup.objects.filter(scope_q(filters), day__range=(first, filters.date_to)).order_by()
    return dict(rows.values("sku").annotate(n=Sum("units")).values_list("sku", "n"))


def stock_by_sku(*, filters) -> list[dict]:
    """Per active SKU: ``on_hand``, ``available``, ``reorder_point``, ``price``, ``value``."""
    rows = (
        _stock(filters)
        .values("product__sku", "product__name", "product__reorder_point", "product__price")
        .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
        .order_by("product__sku")
    )
    return [
        {
            "sku": row["product__sku"],
            "name": row["product__name"],
            "on_hand": row["on_hand"],
            "available": row["on_hand"] - row["reserved"],
            "reorder_point": row["product__reorder_point"],
            "value": (row["on_hand"] * row["product__price"]).quantize(Decimal("0.01")),
        }
        for row in rows
    ]


@read_from_replica()
def inventory_report(*, filters, limit: int = 20) -> dict:
    """Everything the Inventory page shows: stock value, days of cover, SKUs below reorder point, slow movers."""
    sold = units_sold(filters=filters)
    skus = stock_by_sku(filters=filters)
    for row in skus:
        row["sold_30d"] = sold.get(row["sku"], 0)
        row["per_day"] = round(row["sold_30d"] / VELOCITY_DAYS, 2)
        sold_30d = row["sold_30d"]
        row["days_of_cover"] = round(row["available"] * VELOCITY_DAYS / sold_30d, 1) if sold_30d else None
    selling = [row for row in skus if row["days_of_cover"] is not None]
    return {
        "value": stock_value(filters=filters),
        "cover": sorted(selling, key=lambda row: (row["days_of_cover"], row["sku"]))[:limit],
        "below_reorder": [row for row in skus if row["available"] <= row["reorder_point"]][: 5 * limit],
        "slow_movers": sorted(
            (row for row in skus if row["on_hand"] > 0), key=lambda row: (row["sold_30d"], -row["value"], row["sku"])
        )[:limit],
        "velocity_days": VELOCITY_DAYS,
    }
