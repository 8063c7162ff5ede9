"""Customers, orders and the order lifecycle (see the modules)."""

from orders.models.customers import (  # noqa: F401
    REGION_HELP,
    Address,
    Customer,
    CustomerQuerySet,
    TaxRate,
)
from orders.models.imports import OrderImport  # noqa: F401
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
    RiskStatus,
    S,
)
from orders.models.risk import DenyListEntry, RiskPolicy, RiskRule, RiskRuleCode  # noqa: F401
from orders.models.support import (  # noqa: F401
    Feedback,
    Inquiry,
    Notification,
    OrderNote,
)
