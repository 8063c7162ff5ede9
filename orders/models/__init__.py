"""Customers, orders and the order lifecycle (see the modules)."""

from orders.models.customers import (  # noqa: F401
    REGION_HELP,
    Address,
    Customer,
    CustomerQuerySet,
    TaxRate,
)
from orders.models.orders import (  # noqa: F401
    AUTO,
    CANCELLABLE,
    CUSTOMER_CANCELLABLE,
    CUSTOMER_RATEABLE,
    HOLDABLE,
    INQUIRY_OPEN_LIMIT,
    Channel,
    HoldReason,
    LineAllocation,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    S,
)
from orders.models.support import (  # noqa: F401
    Feedback,
    Inquiry,
    Notification,
    OrderNote,
)
