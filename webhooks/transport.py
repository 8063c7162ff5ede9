"""Sending a webhook: check where the URL leads, then POST to exactly the address that was checked.

SSRF: a subscriber chooses the URL, so the server must not be made to call its own network. The URL must be
``https`` and every address its host resolves to must be public (not private, loopback, link-local, reserved,
multicast or unspecified). The check runs when the subscription is made and again before each send, and the
connection goes to the checked address (TLS still verifies the certificate for the host name), so a DNS answer
that changes between check and connect cannot redirect it. Redirects are never followed.
``OMS_WEBHOOK_ALLOW_PRIVATE_URLS=1`` (development, tests) allows ``http`` and private and loopback addresses.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.exceptions import UnsafeWebhookUrl

# How much of a receiver's answer is kept for the delivery log.
ANSWER_KEPT = 500


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (the checked addresses) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    status: int | None
    text: str


def address_is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def target_check(url: str) -> Target:
    """The URL's target with its resolved addresses; raises UnsafeWebhookUrl when webhooks may not go there."""
    allow_private = settings.OMS_WEBHOOK_ALLOW_PRIVATE_URLS
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeWebhookUrl("Enter a valid URL.") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeWebhookUrl("The URL must start with https://.")
    if not parts.hostname:
        raise UnsafeWebhookUrl("The URL needs a host name.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeWebhookUrl("The URL must not carry a user name or password.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeWebhookUrl(f"The host {parts.hostname} does not resolve.") from None
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeWebhookUrl(f"The host {parts.hostname} does not resolve.")
    if not allow_private and not all(address_is_public(a) for a in addresses):
        raise UnsafeWebhookUrl(f"The host {parts.hostname} resolves to an address that is not public.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, path, addresses)


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection to one of the checked addresses, whatever the host name resolves to now."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._addresses = target.addresses

    def _open(self) -> socket.socket:
        error: OSError | None = None
        for address in self._addresses:
            try:
                return socket.create_connection((address, self.port), self.timeout)
            except OSError as exc:
                error = exc
        raise error or OSError("no address to connect to")

    def connect(self):
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target, timeout)
        self._context = ssl.create_default_context()

    def connect(self):
        self.sock = self._context.wrap_socket(self._open(), server_hostname=self.host)


def post(target: Target, *, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST ``body`` to the checked target; the status (None when there was no answer) and the answer's start."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(ANSWER_KEPT).decode("utf-8", errors="replace")
        return Answer(response.status, text)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:ANSWER_KEPT] or "no answer")
    finally:
        connection.close()
