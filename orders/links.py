"""Signed links that take a customer straight to their order, without an account."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "orders.tracking-link"


def tracking_token(number: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign(number)


def tracking_number_from_token(token: str) -> str | None:
    """The order number in a valid, unexpired token; None for a tampered or expired one."""
    max_age = settings.OMS_TRACKING_LINK_MAX_AGE_DAYS * 86400
    try:
        return signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None


def tracking_url(number: str) -> str:
    return settings.SITE_URL + reverse("portal:order", kwargs={"token": tracking_token(number)})
