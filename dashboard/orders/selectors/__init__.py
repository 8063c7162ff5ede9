"""Reads for the order desk: home figures and work queues, the order list (100k orders), the order page.

Every page gets what it shows from here in a fixed number of queries, whatever the number of rows.

- ``home``: today's figures and the work queues, by the permission each queue needs;
- ``order_list``: the list's filters, search box, sorting, capped paging and bulk lookups;
- ``order_page``: the order page's reads;
- ``_common``: what the home queues and the list share (queue conditions, sorts, overdue).

Tunables such as ``PER_PAGE`` are read from the module that uses them (``order_list.PER_PAGE``,
``home.QUEUE_ROWS``) and are deliberately not re-exported here, so that patching them here cannot silently
miss.
"""

from dashboard.orders.selectors._common import (
    DEFAULT_SORT,
    OVERDUE_HINT,
    QUEUES,
    REVENUE_HINT,
    SORTS,
    UNSHIPPED,
    late_to_ship,
)
from dashboard.orders.selectors.home import (
    QUEUE_PERMISSIONS,
    figures_today,
    home_for_user,
    queue_awaiting_funds,
    queue_carrier_exceptions,
    queue_on_hold,
    queue_open_inquiries,
    queue_overdue,
    queue_ready_to_fulfill,
    queue_unpaid_invoices,
)
from dashboard.orders.selectors.order_list import (
    CappedPage,
    CappedPaginator,
    OrderFilters,
    bulk_orders_get,
    order_list_for_desk,
    order_page_for_desk,
)
from dashboard.orders.selectors.order_page import order_get_for_desk, order_notes_get, staff_for_assignment

__all__ = [
    "DEFAULT_SORT",
    "QUEUES",
    "QUEUE_PERMISSIONS",
    "SORTS",
    "OVERDUE_HINT",
    "REVENUE_HINT",
    "UNSHIPPED",
    "late_to_ship",
    "CappedPage",
    "CappedPaginator",
    "OrderFilters",
    "bulk_orders_get",
    "figures_today",
    "home_for_user",
    "order_get_for_desk",
    "order_list_for_desk",
    "order_notes_get",
    "order_page_for_desk",
    "queue_awaiting_funds",
    "queue_carrier_exceptions",
    "queue_on_hold",
    "queue_open_inquiries",
    "queue_overdue",
    "queue_ready_to_fulfill",
    "queue_unpaid_invoices",
    "staff_for_assignment",
]
