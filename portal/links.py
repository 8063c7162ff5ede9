"""Signed links that take a customer straight to their order, without an account.

The token is the order number signed with a timestamp (``django.core.signing``): nobody can forge a link
to someone else's order, and a link stops working ``OMS_TRACKING_LINK_MAX_AGE_DAYS`` after the day it was made.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse

SALT = "orders.tracking-link"
DAY = 86400


@dataclass(frozen=True)
class TokenCheck:
    """What a token says: the order number if it is valid, else whether it merely expired."""

    number: str | None
    expired: bool = False


class _DaySigner(signing.TimestampSigner):
    """Stamps the start of the (UTC) day: an order's link is the same all day long, so the API's answers, webhook
    bodies and emails of one day agree, and two reads a second apart show the same order. A link still lives
    ``OMS_TRACKING_LINK_MAX_AGE_DAYS`` from that day's start."""

    def timestamp(self):
        return signing.b62_encode(signing.b62_decode(super().timestamp()) // DAY * DAY)


def tracking_token(number: str) -> str:
    return _DaySigner(salt=SALT).sign(number)


def tracking_token_check(token: str) -> TokenCheck:
    """Read a token; an expired one is told apart from a tampered one so the page can say which."""
    max_age = settings.OMS_TRACKING_LINK_MAX_AGE_DAYS * 86400
    signer = signing.TimestampSigner(salt=SALT)
    try:
        return TokenCheck(number=signer.unsign(token, max_age=max_age))
    except signing.SignatureExpired:
        return TokenCheck(number=None, expired=True)
    except signing.BadSignature:
        return TokenCheck(number=None)


def tracking_number_from_token(token: str) -> str | None:
    """The order number in a valid, unexpired token; None for a tampered or expired one."""
    return tracking_token_check(token).number


def tracking_path(number: str, name: str = "order") -> str:
    """The site-relative path of a portal page of the order (``name``: order, cancel, inquiry, feedback)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _path_around(name, get_script_prefix(), urlconf).replace(_SLOT, tracking_token(number), 1)


_SLOT = "0tokenslot0"  # letters and digits: a token's place in a reversed path, replaced by the token


@functools.lru_cache(maxsize=64)
def _path_around(name: str, prefix: str, urlconf) -> str:
    """The page's path with ``_SLOT`` for the token: ``reverse`` costs more than signing the token, and every API
    answer and email about an order carries a link (the key holds what ``reverse`` reads besides the name)."""
    return reverse(f"portal:{name}", kwargs={"token": _SLOT}, urlconf=urlconf)


def tracking_url(number: str) -> str:
    """The absolute link for emails."""
    return settings.SITE_URL + tracking_path(number)
