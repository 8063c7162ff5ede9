"""Limits on guessing and on load: the storefront API rate and the answer to a locked-out login.

Counters live in the cache (Redis in production), so every web process counts together. Login failures
are counted by django-axes (settings ``AXES_*``); this module only says what a locked-out client is told.
"""

import ipaddress
from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from oms.authentication import StorefrontUser
from oms.client_address import client_address


class StorefrontRateThrottle(SimpleRateThrottle):
    """Requests per storefront key (``DEFAULT_THROTTLE_RATES["storefront"]``); staff and webhooks are not counted."""

    scope = "storefront"

    def get_rate(self) -> str | None:
        # Read when the throttle is made, not when the class is: settings may change (tests, reloads).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.user, StorefrontUser):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.storefront.pk}


def login_client_address(request) -> str | None:
    """The client address whose login failures are counted (the real client behind trusted proxies).

    None when there is no usable address (a request made in code, such as a test's forced login): such a
    login is then counted by user name only.
    """
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def login_retry_after() -> int:
    """Seconds a locked-out client waits: each try while locked out starts the cool-off again."""
    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 0


def login_locked_out(request, original_response=None, credentials=None):
    """The page a login form answers once the user name or the client address is locked out (axes)."""
    seconds = login_retry_after()
    response = render(request, "429.html", {"minutes": max(1, -(-seconds // 60))}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def login_attempts_purge(*, now=None) -> int:
    """Delete failed sign-in records (django-axes' database handler, used without Redis) older than
    ``OMS_LOGIN_ATTEMPT_RETENTION_DAYS`` and past the cool-off, so they no longer lock anyone out; how many
    went. With Redis the records live in the cache and expire by themselves."""
    from axes.models import AccessAttempt, AccessFailureLog

    now = now or timezone.now()
    cutoff = now - max(timedelta(days=settings.OMS_LOGIN_ATTEMPT_RETENTION_DAYS), settings.AXES_COOLOFF_TIME)
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return attempts + failures
