"""Apps that act on each new entry of an order's timeline (outbound webhooks), named by settings.

``OMS_ORDER_EVENT_HOOKS`` lists functions called with a list of new ``OrderEvent`` rows of one order (in the order
they were written; one, or all a use case such as placement wrote at once), in the transaction that wrote them,
so they can write their own rows and queue work through the outbox. Orders imports none of them. An entry
that records a change of the order's lines or totals (an edit, a part cancel) has ``contents_changed`` set
(not stored: read it with ``getattr(event, "contents_changed", False)``).
"""

import functools

from django.conf import settings
from django.utils.module_loading import import_string


def order_event_hooks_run(*events) -> None:
    """Hand the new events (of one order) to every hook, once."""
    for path in settings.OMS_ORDER_EVENT_HOOKS:
        _hook(path)(list(events))


@functools.cache
def _hook(path: str):
    return import_string(path)
