"""Apps that act on each new entry of an order's timeline (outbound webhooks), named by settings.

``OMS_ORDER_EVENT_HOOKS`` lists functions called with a list of new ``OrderEvent`` rows of one order (in the order
they were written; one, or all a use case such as placement wrote at once), in the transaction that wrote them,
so they can write their own rows and queue work through the outbox. Orders imports none of them. An entry
that records a change of the order's lines or totals (an edit, a part cancel) has ``contents_changed`` set
(not stored: read it with ``getattr(event, "contents_changed", False)``).

A hook that reads something of the order's storefront for each call (webhooks: its subscriptions) can have it read
along placement's catalog read, saving placement a query: it sets ``read_along`` on the function to an object with
``expression(storefront_id)`` (an SQL expression of one value) and ``known(storefront_id, value)`` (a context
manager in which the hook takes ``value`` as read).
"""

import functools
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.utils.module_loading import import_string


def order_event_hooks_run(*events) -> None:
    """Hand the new events (of one order) to every hook, once."""
    for path in settings.OMS_ORDER_EVENT_HOOKS:
        _hook(path)(list(events))


@functools.cache
def _hook(path: str):
    return import_string(path)


def hook_reads(storefront_id) -> dict:
    """The hooks' ``read_along`` expressions for an order of ``storefront_id``, by column name."""
    return {name: read.expression(storefront_id) for name, read in _reads().items()}


def hook_read_names() -> list[str]:
    return list(_reads())


@contextmanager
def hook_reads_known(storefront_id, carried: dict):
    """Within the block, each hook takes what ``hook_reads`` read along (in ``carried``) as its own read."""
    with ExitStack() as stack:
        for name, read in _reads().items():
            if name in carried:
                stack.enter_context(read.known(storefront_id, carried[name]))
        yield


def _reads() -> dict:
    reads = {}
    for n, path in enumerate(settings.OMS_ORDER_EVENT_HOOKS):
        read = getattr(_hook(path), "read_along", None)
        if read is not None:
            reads[f"hook_read_{n}"] = read
    return reads
