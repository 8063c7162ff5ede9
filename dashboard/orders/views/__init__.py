"""The order desk: home (figures and work queues), the order list with bulk actions, the order page.

Views are thin: form → service → message → redirect (PRG). htmx requests get the partial they replace;
without JavaScript every form still submits and the page reloads.

- ``home``: the home page;
- ``order_list``: the order list and its bulk actions;
- ``order_page``: the order page and every action on it.
"""

from dashboard.orders.views.home import home
from dashboard.orders.views.order_list import order_bulk, order_list
from dashboard.orders.views.order_page import (
    order_assign_view,
    order_detail,
    order_edit,
    order_inquiry_answer,
    order_invoice_settle_view,
    order_note_add_view,
    order_payment_retry_view,
    order_transition,
)

__all__ = [
    "home",
    "order_assign_view",
    "order_bulk",
    "order_detail",
    "order_edit",
    "order_inquiry_answer",
    "order_invoice_settle_view",
    "order_list",
    "order_note_add_view",
    "order_payment_retry_view",
    "order_transition",
]
