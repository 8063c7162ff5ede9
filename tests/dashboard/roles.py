"""The staff roles (the groups of ``dashboard/roles.py``) as the tests expect them to work: every permission
matrix runs over ``ROLES``, and ``GIVEN`` says, role by role, what each is given across the dashboard and the
staff API, so a change to a role is one row here.
"""

from dataclasses import dataclass

# Every role a matrix runs over; None is a staff user with no role.
ROLES = ["order desk", "warehouse", "finance", "support", "manager", None]
# The roles that may see orders (orders.view_order): all but None.
VIEWERS = {"order desk", "warehouse", "finance", "support", "manager"}

# The dashboard's sections in the main navigation: label → URL.
SECTIONS = {
    "Orders": "/dashboard/orders/",
    "New order": "/dashboard/orders/new/",
    "Fulfillment": "/dashboard/fulfillment/",
    "Inventory": "/dashboard/inventory/",
    "Customers": "/dashboard/customers/",
    "Returns": "/dashboard/returns/",
    "Reports": "/dashboard/reports/",
    "Integrations": "/dashboard/integrations/webhooks/",
    "Imports": "/dashboard/imports/",
    "Fraud review": "/dashboard/risk/",
}
# The home page's work queues: name → title.
QUEUES = {
    "ready": "Ready to fulfill",
    "on_hold": "On hold",
    "awaiting_funds": "Awaiting funds",
    "overdue": "Overdue",
    "exception": "Carrier exceptions",
    "inquiry": "Open customer inquiries",
}
# The staff transitions of an order: name → the state it is taken from.
TRANSITIONS = {
    "mark_paid": "credit_approved",
    "start_fulfillment": "confirmed",
    "ship": "fulfilling",
    "complete": "delivered",
    "cancel": "confirmed",
    "hold": "confirmed",
    "release": "on_hold",
}


@dataclass(frozen=True)
class Given:
    """What a role is given: the sections in its navigation, its queues on the home page, the transitions it may
    take."""

    sections: set[str]
    queues: set[str]
    transitions: set[str]


GIVEN = {
    "order desk": Given(
        sections={"Orders", "New order", "Fulfillment", "Inventory", "Customers", "Imports"},
        queues={"ready", "on_hold", "overdue", "exception", "inquiry"},
        transitions={"start_fulfillment", "ship", "cancel", "hold", "release"},
    ),
    "warehouse": Given(
        sections={"Orders", "Fulfillment", "Inventory", "Returns"},
        queues={"ready", "overdue"},
        transitions={"start_fulfillment", "ship"},
    ),
    "finance": Given(
        sections={"Orders", "Customers", "Returns", "Reports", "Fraud review"},
        queues={"on_hold", "awaiting_funds", "overdue"},
        transitions={"mark_paid", "cancel", "hold", "release"},
    ),
    "support": Given(
        sections={"Orders", "Customers", "Returns"},
        queues={"on_hold", "overdue", "exception", "inquiry"},
        transitions={"cancel", "hold", "release"},
    ),
    "manager": Given(sections=set(SECTIONS), queues=set(QUEUES), transitions=set(TRANSITIONS)),
    None: Given(sections=set(), queues=set(), transitions=set()),
}
