"""The link in every customer email and API answer that takes the customer to their order.

The customer portal owns its pages and their signed tokens; the order domain only needs the finished
address. Settings name the function that makes it (``OMS_ORDER_LINK_BUILDER``), so no domain code imports
the portal.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def order_customer_url(number: str) -> str:
    """The absolute address where the customer follows order ``number``."""
    return import_string(settings.OMS_ORDER_LINK_BUILDER)(number)
