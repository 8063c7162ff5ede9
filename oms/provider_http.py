"""One small HTTP client for the remote providers (carrier and payment APIs), on the standard library.

``provider_request`` sends a request and returns the status and the decoded JSON answer; a provider that
cannot be reached, times out or answers 5xx raises ``ProviderUnreachable`` (retry later with the same
idempotency key); any other answer, 4xx included, is returned for the adapter to read.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT_SECONDS = 15


class ProviderUnreachable(OSError):
    """No usable answer: a network error, a timeout, a 5xx or a body that is not JSON."""


@dataclass(frozen=True)
class ProviderAnswer:
    status: int
    data: dict


def provider_request(
    method: str, url: str, *, headers: dict[str, str], body: bytes | None = None, timeout: float = TIMEOUT_SECONDS
) -> ProviderAnswer:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL from settings)
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ProviderUnreachable(f"{url} did not answer: {getattr(exc, 'reason', exc)}") from exc
    if status >= 500:
        raise ProviderUnreachable(f"{url} answered {status}.")
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise ProviderUnreachable(f"{url} answered {status} with a body that is not JSON.") from None
    return ProviderAnswer(status, data if isinstance(data, dict) else {"data": data})
