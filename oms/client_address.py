"""The address a request came from, for per-client limits (the portal's look-up rate limit).

REMOTE_ADDR is the peer that connected. Behind reverse proxies that peer is the proxy, and every customer
would share one counter; the proxies add the client to ``X-Forwarded-For``. That header is whatever the
client wants it to be, except for the entries our own proxies appended: with ``OMS_TRUSTED_PROXIES = N``
the N-th address from the right is the one the outermost trusted proxy saw.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.OMS_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:  # not (fully) through our proxies: trust only the peer
        return remote
    return forwarded[-proxies][:64]
