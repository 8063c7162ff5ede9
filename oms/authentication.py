"""API credentials, of which only a SHA-256 hash is stored.

Storefronts send ``Authorization: Bearer <key>`` (one key per storefront, until revoked); staff send
``Authorization: Token <key>`` with a token from ``POST /api/v1/auth/token/``, which expires.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from oms import compiled
from oms.models import StaffToken, Storefront

KEY_PREFIX = "sk_"
STAFF_KEY_PREFIX = "st_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def storefront_create(*, name: str, contact_email: str = "") -> tuple[Storefront, str]:
    """Create a storefront and return it with its key; the key is never recoverable afterwards."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    storefront = Storefront.objects.create(
        name=name, key_prefix=prefix, key_hash=hash_key(key), contact_email=contact_email
    )
    return storefront, key


def _credential(request, keyword: str) -> str | None:
    """The key after ``keyword`` in the Authorization header; None when the header is for another scheme."""
    header = authentication.get_authorization_header(request).split()
    if not header or header[0].lower() != keyword.lower().encode():
        return None
    if len(header) != 2:
        raise exceptions.AuthenticationFailed(f"Invalid Authorization header: expected '{keyword} <key>'.")
    try:
        return header[1].decode()
    except UnicodeError:
        raise exceptions.AuthenticationFailed("Invalid API key.") from None


class StorefrontUser:
    """The request user for a storefront call: authenticated, never staff, no Django permissions."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    is_active = True
    pk = None

    def __init__(self, storefront: Storefront):
        self.storefront = storefront
        self.username = f"storefront:{storefront.name}"

    def __str__(self) -> str:
        return self.username

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False


def _storefront_by_prefix(values: dict):
    return Storefront.objects.filter(key_prefix=values["prefix"], is_active=True).order_by("pk")[:1]


class StorefrontKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        key = _credential(request, self.keyword)
        if key is None:
            return None
        parts = key.split("_")
        if not key.startswith(KEY_PREFIX) or len(parts) < 3:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        storefront = next(iter(compiled.run("storefront-by-key", _storefront_by_prefix, {"prefix": parts[1]})), None)
        if storefront is None or not hmac.compare_digest(storefront.key_hash, hash_key(key)):
            raise exceptions.AuthenticationFailed("Invalid API key.")
        now = timezone.now()
        if storefront.last_used_at is None or (now - storefront.last_used_at).total_seconds() > 60:
            Storefront.objects.filter(pk=storefront.pk).update(last_used_at=now)
        return StorefrontUser(storefront), storefront

    def authenticate_header(self, request):
        return self.keyword


def staff_token_create(*, user) -> tuple[StaffToken, str]:
    """Issue an API token to a staff member and return it with its key, which is never recoverable afterwards.

    Tokens expire ``OMS_STAFF_TOKEN_TTL_HOURS`` after they are issued; the user's expired ones are deleted here.
    """
    now = timezone.now()
    StaffToken.objects.filter(user=user, expires_at__lte=now).delete()
    key = f"{STAFF_KEY_PREFIX}{secrets.token_urlsafe(32)}"
    token = StaffToken.objects.create(
        user=user, key_hash=hash_key(key), expires_at=now + timedelta(hours=settings.OMS_STAFF_TOKEN_TTL_HOURS)
    )
    return token, key


class StaffTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>``: a staff member's unexpired token, of an active user.

    Whether the user may still do anything (staff, with a role) is the views' permissions' question: 403.
    """

    keyword = "Token"

    def authenticate(self, request):
        key = _credential(request, self.keyword)
        if key is None:
            return None
        token = (
            StaffToken.objects.filter(key_hash=hash_key(key), expires_at__gt=timezone.now())
            .select_related("user")
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "oms.authentication.StaffTokenAuthentication"
    name = "StaffToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Staff token from POST /api/v1/auth/token/, sent as 'Token <key>'; it expires.",
        }


class StorefrontKeyScheme(OpenApiAuthenticationExtension):
    target_class = "oms.authentication.StorefrontKeyAuthentication"
    name = "StorefrontKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Storefront API key (sk_...)"}
