"""Apps that act on each new entry of an order's timeline (outbound webhooks), named by settings.

``OMS_ORDER_EVENT_HOOKS`` lists functions called with the new ``OrderEvent``, in the transaction that wrote it,
so they can write their own rows and queue work through the outbox. Orders imports none of them.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def order_event_hooks_run(event) -> None:
    for path in settings.OMS_ORDER_EVENT_HOOKS:
        import_string(path)(event)
