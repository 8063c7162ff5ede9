"""Storefront API keys: ``Authorization: Bearer <key>``. Only a hash of each key is stored."""

import hashlib
import hmac
import secrets

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from oms.models import Storefront

KEY_PREFIX = "sk_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def storefront_create(*, name: str) -> tuple[Storefront, str]:
    """Create a storefront and return it with its key; the key is never recoverable afterwards."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    storefront = Storefront.objects.create(name=name, key_prefix=prefix, key_hash=hash_key(key))
    return storefront, key


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


class StorefrontKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header: expected 'Bearer <key>'.")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid API key.") from None
        parts = key.split("_")
        if not key.startswith(KEY_PREFIX) or len(parts) < 3:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        storefront = Storefront.objects.filter(key_prefix=parts[1], is_active=True).first()
        if storefront is None or not hmac.compare_digest(storefront.key_hash, hash_key(key)):
            raise exceptions.AuthenticationFailed("Invalid API key.")
        now = timezone.now()
        if storefront.last_used_at is None or (now - storefront.last_used_at).total_seconds() > 60:
            Storefront.objects.filter(pk=storefront.pk).update(last_used_at=now)
        return StorefrontUser(storefront), storefront

    def authenticate_header(self, request):
        return self.keyword


class StorefrontKeyScheme(OpenApiAuthenticationExtension):
    target_class = "oms.authentication.StorefrontKeyAuthentication"
    name = "StorefrontKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Storefront API key (sk_...)"}
