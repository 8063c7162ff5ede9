"""The look-up page's limit on guessing: failed tries counted per client address and per order number.

A try takes a slot before the order is looked up (an atomic increment in the cache: Redis in production),
so tries sent in parallel cannot get past the limit; a try that finds the order gives its slots back. The
per-number count stops guessing the email of one known order from many addresses. Fixed windows, opened
by the first try.
"""

from django.conf import settings
from django.core.cache import cache

from oms.client_address import client_address


def _take(key: str) -> int:
    """Count one more try under ``key``; how many the window holds now (this one included)."""
    window = settings.OMS_LOOKUP_RATE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between add and incr: this try opens the next one
        cache.add(key, 0, timeout=window)
        return cache.incr(key)


def _give_back(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # the window closed meanwhile
        pass


def _keys(request, number: str) -> list[str]:
    keys = [f"portal:lookup:client:{client_address(request)}"]
    number = "".join(number.split()).upper()[:40]
    if number:
        keys.append(f"portal:lookup:order:{number}")
    return keys


def lookup_try_take(request, number: str) -> list[str] | None:
    """Take a try for this client and order number: the keys taken, to give back on success, or None when
    either is over the limit (the answer is then 429)."""
    keys = _keys(request, number)
    counts = [_take(key) for key in keys]
    if any(count > settings.OMS_LOOKUP_RATE_LIMIT for count in counts):
        return None
    return keys


def lookup_try_give_back(keys: list[str]) -> None:
    """The try found its order: it does not count against anyone."""
    for key in keys:
        _give_back(key)
