"""Reads for the desk's order list (100k orders): filters, the search box, sorting, capped paging, bulk lookups.

A page of the list costs one bounded count and one page read, whatever the number of orders.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from dashboard.orders.selectors._common import (
    DEFAULT_SORT,
    SORTS,
    GroupedOrders,
    LateRows,
    _day_start,
    _priority_groups,
    _queue,
    capped_count,
    late_to_ship,
)
from orders.models import LineAllocation, Order, OrderLine
from shipping.models import Shipment

PER_PAGE = 50


@dataclass(frozen=True)
class OrderFilters:
    """What the order list is narrowed to; every field optional."""

    status: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    warehouse: int | None = None
    customer: int | None = None
    sku: str = ""
    hold_reason: str = ""
    q: str = ""
    queue: str = ""
    sort: str = DEFAULT_SORT
    assigned_to: int | None = None  # the staff member's id ("assigned to me")
    unassigned: bool = False


_NUMBER = re.compile(r"^[0-9A-Za-z]{4,20}$")


SEARCH_MATCH_LIMIT = 1000


def _search(queryset: QuerySet[Order], q: str) -> QuerySet[Order]:
    """One box for order number, tracking number, customer email or name.

    Each kind is looked up first where an index serves it (unique order number, unique tracking number,
    the customer's lower(email) index, trigram indexes on customer names and emails on PostgreSQL); the
    order list is then narrowed to those ids, which the planner reads by primary key and customer index
    instead of scanning every order.
    """
    from orders.models import Customer

    q = q.strip()
    if not q or "\x00" in q:
        return queryset if not q else queryset.none()
    order_ids: list[int] = []
    customer_ids: list[int] = []
    if _NUMBER.match(q):
        order_ids += Order.objects.filter(number__startswith=q.upper()).values_list("pk", flat=True)[
            :SEARCH_MATCH_LIMIT
        ]
        order_ids += Shipment.objects.filter(tracking_number=q.upper()).values_list("order_id", flat=True)
    customers = Customer.objects.order_by()
    if "@" in q:
        customer_ids += customers.with_email(q).values_list("pk", flat=True)
        if not customer_ids:
            customer_ids += customers.filter(email__icontains=q).values_list("pk", flat=True)[:SEARCH_MATCH_LIMIT]
    else:
        customer_ids += customers.filter(name__icontains=q).values_list("pk", flat=True)[:SEARCH_MATCH_LIMIT]
    if not order_ids and not customer_ids:
        return queryset.none()
    return queryset.filter(Q(pk__in=order_ids) | Q(customer_id__in=customer_ids))


def order_list_for_desk(*, filters: OrderFilters) -> LateRows | GroupedOrders:
    """Orders as the desk lists them, narrowed by ``filters``, with what each row shows in one query (the
    "priority" sort: one query per shipping priority the page reaches)."""
    shown = Order.objects.select_related("customer", "assigned_to").only(
        "number",
        "channel",
        "status",
        "payment_status",  # the status badge ("Awaiting payment")
        "hold_reason",
        "total",
        "currency",
        "shipping_method",
        "promised_ship_date",
        "placed_at",
        "customer__name",
        "customer__email",
        "assigned_to__username",
        "assigned_to__first_name",
        "assigned_to__last_name",
    )
    queryset = shown
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.hold_reason:
        queryset = queryset.filter(hold_reason=filters.hold_reason)
    if filters.customer:
        queryset = queryset.filter(customer_id=filters.customer)
    if filters.assigned_to:
        queryset = queryset.filter(assigned_to_id=filters.assigned_to)
    elif filters.unassigned:
        queryset = queryset.filter(assigned_to=None)
    if filters.sku:
        # Lines keep the SKU as sold; read through the upper(sku) index of orders 0007 and 0018 (PostgreSQL).
        queryset = queryset.filter(Exists(OrderLine.objects.filter(order=OuterRef("pk"), sku__iexact=filters.sku)))
    if filters.date_from:
        queryset = queryset.filter(placed_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(placed_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.warehouse:
        queryset = queryset.filter(
            Exists(LineAllocation.objects.filter(line__order=OuterRef("pk"), warehouse_id=filters.warehouse))
        )
    queryset = _queue(queryset, filters.queue, listed=True)
    queryset = _search(queryset, filters.q)
    is_overdue = ExpressionWrapper(late_to_ship(timezone.localdate()), output_field=BooleanField())
    queryset = queryset.annotate(is_overdue=is_overdue)
    sort = filters.sort if filters.sort in SORTS else DEFAULT_SORT
    if sort == "priority":
        return GroupedOrders(queryset, _priority_groups(), SORTS[sort])
    # The page's ids through the filters, then those orders with what their rows show.
    return LateRows(queryset.order_by(*SORTS[sort]), shown.annotate(is_overdue=is_overdue).order_by(*SORTS[sort]))


class CappedPage(Page):
    """A page that knows whether a next one exists even when the total is not counted."""

    more = False
    depth_limited = False

    def has_next(self) -> bool:
        if self.paginator.count_capped:
            return self.more
        return super().has_next()


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: a page of a 100,000-order list costs one bounded count and one page read.

    Past the cap the exact total is not known (``count_capped``) and the pager shows no page total; the
    next page is then known by reading one row more than the page holds. Pages end after ``max_rows``.
    """

    cap = 1_000
    # Paging stops this deep: an OFFSET reads every row it skips. Filters or "oldest first" reach the rest.
    max_rows = 10_000
    count_capped = False

    @cached_property
    def count(self) -> int:
        counted = capped_count(self.object_list, self.cap + 1)
        self.count_capped = counted > self.cap
        return min(counted, self.cap)

    @cached_property
    def num_pages(self):
        if self.count and self.count_capped:
            return None
        return super().num_pages

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        number = max(number, 1)
        if self.num_pages is not None:
            number = min(number, max(self.num_pages, 1))
        return min(number, self.max_page)

    @property
    def max_page(self) -> int:
        return max(1, self.max_rows // self.per_page)

    def page(self, number) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        page = CappedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page and number < self.max_page
        page.depth_limited = len(rows) > self.per_page and number >= self.max_page
        return page


def order_page_for_desk(*, filters: OrderFilters, page: object, per_page: int | None = None) -> CappedPage:
    """One page of the desk's order list; ``paginator.count_capped`` when more than 1,000 orders match."""
    return CappedPaginator(order_list_for_desk(filters=filters), per_page or PER_PAGE).page(page)


def bulk_orders_get(*, numbers: list[str]) -> dict[str, int]:
    """Order ids by number, for the numbers that exist."""
    return dict(Order.objects.filter(number__in=numbers).values_list("number", "pk"))
