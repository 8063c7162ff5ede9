"""Reorder suggestions: what to buy now, per SKU × warehouse, and drafting the purchase orders for it.

For every stock row of a product for sale in an active warehouse:

- ``sold_30`` / ``sold_90``: units shipped from that row in the last 30 / 90 days, read from the ledger (the
  ``ship`` movements' on-hand decreases: inventory knows no orders);
- velocity ``v`` = max(sold_30 / 30, sold_90 / 90) units a day: a recent rise counts at once, a quiet last month
  does not starve a product that sells over the quarter;
- ``available`` = on hand − reserved; ``on order`` = units still to come on open purchase orders (drafts
  included, so a suggestion already drafted is not suggested again) into that warehouse;
- days of cover = available / v (none when nothing sold);
- lead time ``L`` = the default supplier's ``lead_time_days`` (``OMS_DEFAULT_LEAD_TIME_DAYS`` without one), review
  period ``R`` = ``OMS_REORDER_REVIEW_DAYS``, safety days ``S`` = the product's ``safety_stock_days`` or
  ``OMS_SAFETY_STOCK_DAYS``; safety stock = v × S.

A row **needs ordering now** when available + on order ≤ v × L + v × S (it runs out, safety stock included,
before an order placed now arrives) or ≤ its reorder point. It is then ordered up to a target:

    target    = max(ceil(v × (L + R + S)), reorder point + 1)
    suggested = max(0, target − available − on order)

so that what is there and on its way lasts the lead time, until the next review and the safety days, and
leaves the row above its reorder point (where the low-stock page stops listing it).
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from inventory import purchasing, selectors
from inventory.models import Product, PurchaseOrder, StockItem, StockMovement, Supplier, Warehouse
from oms.exceptions import DomainError

WINDOWS = (30, 90)


@dataclass(frozen=True)
class Suggestion:
    stock_item_id: int
    product: Product
    warehouse: Warehouse
    supplier: Supplier | None
    sold_30: int
    sold_90: int
    velocity: Fraction  # units a day, exact
    available: int
    on_order: int
    lead_time_days: int
    safety_days: int
    review_days: int
    target: int
    suggested: int
    needs_order: bool

    @property
    def velocity_30(self) -> Decimal:
        return _round(Fraction(self.sold_30, 30), "0.01")

    @property
    def velocity_90(self) -> Decimal:
        return _round(Fraction(self.sold_90, 90), "0.01")

    @property
    def days_of_cover(self) -> Decimal | None:
        return _round(self.available / self.velocity, "0.1") if self.velocity else None

    @property
    def safety_stock(self) -> int:
        return math.ceil(self.velocity * self.safety_days)


def _round(value: Fraction, places: str) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _sold(now) -> dict[int, tuple[int, int]]:
    """Units shipped per stock row in the last 30 and 90 days."""
    since = {days: now - timedelta(days=days) for days in WINDOWS}
    rows = (
        StockMovement.objects.filter(kind=StockMovement.Kind.SHIP, created_at__gte=since[90], on_hand_delta__lt=0)
        .values("stock_item_id")
        .annotate(
            sold_30=Sum("on_hand_delta", filter=Q(created_at__gte=since[30])),
            sold_90=Sum("on_hand_delta"),
        )
    )
    return {row["stock_item_id"]: (-(row["sold_30"] or 0), -(row["sold_90"] or 0)) for row in rows}


def reorder_suggestions(*, now=None) -> list[Suggestion]:
    """The figures of every stock row of a product for sale in an active warehouse (see the module's docstring)."""
    now = now or timezone.now()
    sold = _sold(now)
    on_order = selectors.on_order_by_item()
    review = settings.OMS_REORDER_REVIEW_DAYS
    items = (
        StockItem.objects.filter(product__is_active=True, warehouse__is_active=True)
        .select_related("product__supplier", "warehouse")
        .order_by("product__sku", "warehouse__priority", "warehouse__code")
    )
    suggestions = []
    for item in items:
        product, supplier = item.product, item.product.supplier
        sold_30, sold_90 = sold.get(item.pk, (0, 0))
        velocity = max(Fraction(sold_30, 30), Fraction(sold_90, 90))
        lead = supplier.lead_time_days if supplier is not None else settings.OMS_DEFAULT_LEAD_TIME_DAYS
        safety = product.safety_stock_days if product.safety_stock_days is not None else settings.OMS_SAFETY_STOCK_DAYS
        available = item.on_hand - item.reserved
        coming = on_order.get((product.pk, item.warehouse_id), 0)
        position = available + coming
        needs = position <= velocity * (lead + safety) or position <= product.reorder_point
        target = max(math.ceil(velocity * (lead + review + safety)), product.reorder_point + 1)
        suggestions.append(
            Suggestion(
                stock_item_id=item.pk,
                product=product,
                warehouse=item.warehouse,
                supplier=supplier,
                sold_30=sold_30,
                sold_90=sold_90,
                velocity=velocity,
                available=available,
                on_order=coming,
                lead_time_days=lead,
                safety_days=safety,
                review_days=review,
                target=target,
                suggested=max(0, target - position),
                needs_order=needs,
            )
        )
    return suggestions


def reorder_suggestions_due(*, now=None) -> list[Suggestion]:
    """The rows that need ordering now, with a quantity to order."""
    return [s for s in reorder_suggestions(now=now) if s.needs_order and s.suggested > 0]


def reorder_suggestions_by_supplier(*, now=None) -> list[tuple[Supplier | None, list[Suggestion]]]:
    """The rows to order now grouped by default supplier (by name; products without one last)."""
    groups: dict[int | None, list[Suggestion]] = defaultdict(list)
    for suggestion in reorder_suggestions_due(now=now):
        groups[suggestion.supplier.pk if suggestion.supplier else None].append(suggestion)
    ordered = sorted(groups.values(), key=lambda rows: (rows[0].supplier is None, str(rows[0].supplier or "")))
    return [(rows[0].supplier, rows) for rows in ordered]


@transaction.atomic
def reorder_drafts_create(*, user, now=None) -> list[PurchaseOrder]:
    """Draft one purchase order per supplier × warehouse with the suggested quantities of what needs ordering
    now, each at the unit cost of the product's last order from that supplier (0 if never ordered: fill it in
    before sending). Products without an active default supplier are left out.

    The active suppliers are locked first, so two people pressing the button at once do not draft twice: the
    second waits, then counts the first one's drafts as on order.
    """
    list(Supplier.objects.select_for_update().filter(is_active=True).order_by("pk"))
    groups: dict[tuple[int, int], list[Suggestion]] = defaultdict(list)
    for suggestion in reorder_suggestions_due(now=now):
        if suggestion.supplier is not None and suggestion.supplier.is_active:
            groups[(suggestion.supplier.pk, suggestion.warehouse.pk)].append(suggestion)
    if not groups:
        raise DomainError(
            "Nothing needs ordering now from a supplier: no purchase order was drafted.", code="nothing_to_order"
        )
    drafts = []
    for (supplier_id, warehouse_id), rows in sorted(groups.items(), key=lambda kv: (str(kv[1][0].supplier), kv[0])):
        product_ids = [r.product.pk for r in rows]
        costs = selectors.purchase_order_last_unit_costs(supplier_id=supplier_id, product_ids=product_ids)
        lines = [
            purchasing.LineInput(
                product_id=r.product.pk, quantity=r.suggested, unit_cost=costs.get(r.product.pk, Decimal("0.00"))
            )
            for r in rows
        ]
        drafts.append(
            purchasing.purchase_order_create(
                supplier_id=supplier_id,
                warehouse_id=warehouse_id,
                user=user,
                notes="Drafted from the reorder suggestions.",
                lines=lines,
            )
        )
    return drafts
