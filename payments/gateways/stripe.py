"""Stripe PaymentIntents with manual capture (https://api.stripe.com/v1).

- authorize: ``POST /v1/payment_intents`` with ``amount`` (minor units), ``currency``, ``payment_method``,
  ``confirm=true``, ``capture_method=manual``; ``status`` ``requires_capture`` means authorized;
  ``processing`` or ``requires_action`` wait for the webhook; a declined card is a 402 ``card_error``.
- capture: ``POST /v1/payment_intents/<id>/capture`` with ``amount_to_capture``; an order shipped in parts
  captures each part with ``final_capture=false`` (multicapture: the intent stays ``requires_capture``) and
  the last with ``final_capture=true``. Authorizing asks for it with
  ``payment_method_options[card][request_multicapture]=if_available``: where Stripe does not offer it (the
  account's pricing, the card brand), a part capture is refused and the payment stays authorized for staff;
  void: ``POST /v1/payment_intents/<id>/cancel``; refund: ``POST /v1/refunds`` with ``payment_intent`` and
  ``amount`` (a part or the whole).

Form-encoded bodies, ``Authorization: Bearer <secret key>``, and our idempotency key as Stripe's
``Idempotency-Key``, so a retried call is answered as the first. Errors come as ``{"error": {"type", "code",
"decline_code", "message"}}``. Settings: ``OMS_STRIPE_SECRET_KEY``, ``OMS_STRIPE_BASE_URL``.
"""

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.conf import settings

from oms.provider_http import ProviderUnreachable, provider_request
from payments.exceptions import GatewayUnavailable
from payments.gateways import Gateway, GatewayResult

# Currencies Stripe counts in whole units (no cents): https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
# Our side's trouble (bad key, rate limit, idempotency clash): retry later, the customer's card is not at fault.
RETRYABLE_STATUSES = (401, 403, 409, 429)


def minor_units(amount: Decimal, currency: str) -> int:
    exponent = Decimal("1") if currency.lower() in ZERO_DECIMAL else Decimal("100")
    return int((Decimal(amount) * exponent).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    exponent = Decimal("1") if currency.lower() in ZERO_DECIMAL else Decimal("100")
    return (Decimal(amount) / exponent).quantize(Decimal("0.01"))


class StripeGateway(Gateway):
    code = "card"
    name = "stripe"

    def _post(self, path: str, params: dict, *, idempotency_key: str) -> tuple[int, dict]:
        try:
            answer = provider_request(
                "POST",
                settings.OMS_STRIPE_BASE_URL.rstrip("/") + path,
                headers={
                    "Authorization": f"Bearer {settings.OMS_STRIPE_SECRET_KEY}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Idempotency-Key": idempotency_key,
                },
                body=urlencode(params).encode(),
            )
        except ProviderUnreachable as exc:
            raise GatewayUnavailable(f"Stripe did not answer: {exc}") from exc
        if answer.status in RETRYABLE_STATUSES:
            raise GatewayUnavailable(f"Stripe refused the request ({answer.status}): {_error(answer.data)['message']}")
        return answer.status, answer.data

    def _result(self, status: int, data: dict, *, succeeded: tuple[str, ...], pending: tuple[str, ...] = ()):
        if status >= 400:
            error = _error(data)
            code = error["decline_code"] or error["code"] or error["type"] or "declined"
            return GatewayResult("declined", error_code=code[:50], message=error["message"])
        reference = str(data.get("id", ""))
        if data.get("status") in succeeded:
            return GatewayResult("succeeded", reference)
        if data.get("status") in pending:
            return GatewayResult("pending", reference, message=f"Stripe: {data.get('status')}.")
        error = _error({"error": data.get("last_payment_error") or {}})
        return GatewayResult(
            "declined",
            reference,
            error_code=(error["decline_code"] or error["code"] or str(data.get("status") or "declined"))[:50],
            message=error["message"] or f"Stripe: {data.get('status')}.",
        )

    def authorize(self, *, amount, currency, token, idempotency_key):
        status, data = self._post(
            "/v1/payment_intents",
            {
                "amount": minor_units(amount, currency),
                "currency": currency.lower(),
                "payment_method": token,
                "confirm": "true",
                "capture_method": "manual",
                # Orders shipped in parts capture per shipment (multicapture), where Stripe offers it.
                "payment_method_options[card][request_multicapture]": "if_available",
            },
            idempotency_key=idempotency_key,
        )
        return self._result(status, data, succeeded=("requires_capture",), pending=("processing", "requires_action"))

    def capture(self, *, reference, amount, idempotency_key):
        currency = settings.OMS_CURRENCY
        status, data = self._post(
            f"/v1/payment_intents/{reference}/capture",
            {"amount_to_capture": minor_units(amount, currency)},
            idempotency_key=idempotency_key,
        )
        return self._result(status, data, succeeded=("succeeded",), pending=("processing",))

    def capture_part(self, *, reference, amount, final, idempotency_key):
        if final:
            return self.capture(reference=reference, amount=amount, idempotency_key=idempotency_key)
        status, data = self._post(
            f"/v1/payment_intents/{reference}/capture",
            {"amount_to_capture": minor_units(amount, settings.OMS_CURRENCY), "final_capture": "false"},
            idempotency_key=idempotency_key,
        )
        # The rest stays authorized for the next shipment: the intent still requires capture.
        return self._result(status, data, succeeded=("requires_capture", "succeeded"), pending=("processing",))

    def void(self, *, reference, idempotency_key):
        status, data = self._post(f"/v1/payment_intents/{reference}/cancel", {}, idempotency_key=idempotency_key)
        return self._result(status, data, succeeded=("canceled",))

    def refund(self, *, reference, amount, idempotency_key):
        status, data = self._post(
            "/v1/refunds",
            {"payment_intent": reference, "amount": minor_units(amount, settings.OMS_CURRENCY)},
            idempotency_key=idempotency_key,
        )
        return self._result(status, data, succeeded=("succeeded",), pending=("pending", "requires_action"))


def _error(data: dict) -> dict:
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    return {key: str(error.get(key) or "") for key in ("type", "code", "decline_code", "message")}
