"""System checks that keep a production process from starting without its secrets.

With DEBUG off there is no fallback for a secret: ``manage.py migrate``, ``check`` and ``runserver`` stop
with these errors (the compose ``web`` service migrates before gunicorn starts) instead of running on a key
anyone could read in the source.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def production_secrets_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    errors = []
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty SECRET_KEY
        secret_key = ""
    if not secret_key:
        errors.append(
            checks.Error(
                "SECRET_KEY is not set and DEBUG is off.",
                hint="Set SECRET_KEY in the environment to a long random value, e.g. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="oms.E001",
            )
        )
    if not settings.DEMO_CARRIER_WEBHOOK_SECRET:
        errors.append(
            checks.Error(
                "DEMO_CARRIER_WEBHOOK_SECRET is not set and DEBUG is off: carrier webhooks could not be verified.",
                hint="Set DEMO_CARRIER_WEBHOOK_SECRET in the environment to the secret the carrier signs with.",
                id="oms.E002",
            )
        )
    return errors
