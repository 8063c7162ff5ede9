"""The customer's link to a return label: signed, so nobody reaches another customer's label by guessing.

The token is the return's number signed with a timestamp (``django.core.signing``, its own salt); it stops
working ``OMS_TRACKING_LINK_MAX_AGE_DAYS`` after it was made, like the portal's order links.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "returns.label-link"


def return_label_token(number: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign(number)


def return_number_from_label_token(token: str) -> str | None:
    """The return number in a valid, unexpired token; None otherwise."""
    try:
        return signing.TimestampSigner(salt=SALT).unsign(token, max_age=settings.OMS_TRACKING_LINK_MAX_AGE_DAYS * 86400)
    except signing.BadSignature:
        return None


def return_label_path(number: str) -> str:
    return reverse("return-label", kwargs={"token": return_label_token(number)})


def return_label_url(number: str) -> str:
    """The absolute link to the label PDF, for emails and API answers."""
    return settings.SITE_URL + return_label_path(number)
