"""Payment gateways behind one small interface: authorize, capture, void and (partial) refund.

Every call carries an idempotency key; a gateway that sees the same key twice returns the first answer,
so a retried task never charges twice. Cards go through the gateway that ``OMS_CARD_GATEWAY`` names:
``test`` (built in, for the demo and tests) or ``stripe`` (:mod:`payments.gateways.stripe`).
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from payments.exceptions import GatewayUnavailable


@dataclass(frozen=True)
class GatewayResult:
    outcome: str  # succeeded | pending | declined
    reference: str = ""
    error_code: str = ""
    message: str = ""


class Gateway:
    code = ""

    def authorize(self, *, amount: Decimal, currency: str, token: str, idempotency_key: str) -> GatewayResult:
        raise NotImplementedError

    def capture(self, *, reference: str, amount: Decimal, idempotency_key: str) -> GatewayResult:
        return GatewayResult("succeeded", reference)

    def capture_part(self, *, reference: str, amount: Decimal, final: bool, idempotency_key: str) -> GatewayResult:
        """Capture ``amount`` of an authorization that may be captured again later (an order shipped in parts).

        ``final`` is the last capture: what is left of the authorization may be released. Gateways whose
        authorization is ours to keep (on account, cash, the test card) capture any part as often as asked.
        """
        return self.capture(reference=reference, amount=amount, idempotency_key=idempotency_key)

    def void(self, *, reference: str, idempotency_key: str) -> GatewayResult:
        return GatewayResult("succeeded", reference)

    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> GatewayResult:
        """Give back ``amount`` (all or part) of what was captured under ``reference``."""
        return GatewayResult("succeeded", reference)


def _reference(prefix: str, idempotency_key: str) -> str:
    return f"{prefix}_{hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]}"


class TestCardGateway(Gateway):
    """Card payments for development and tests: ``tok_ok`` authorizes, ``tok_decline`` declines,
    ``tok_timeout`` times out (a retryable error); anything else is an invalid card."""

    code = "card"

    def authorize(self, *, amount, currency, token, idempotency_key):
        if token == "tok_ok":
            return GatewayResult("succeeded", _reference("ch", idempotency_key))
        if token == "tok_timeout":
            raise GatewayUnavailable("The card gateway did not answer in time.")
        if token == "tok_decline":
            return GatewayResult("declined", error_code="card_declined", message="The card was declined.")
        return GatewayResult("declined", error_code="invalid_token", message="The card token is not valid.")

    def capture(self, *, reference, amount, idempotency_key):
        """Any amount, once per key: several partial captures of one authorization add up (the service keeps
        them within the amount authorized)."""
        if amount <= 0:
            return GatewayResult("declined", reference, error_code="invalid_amount", message="Nothing to capture.")
        return GatewayResult("succeeded", reference)

    def refund(self, *, reference, amount, idempotency_key):
        """Any amount up to what was captured comes back at once (the service checks the amount)."""
        return GatewayResult("succeeded", reference)


class BankTransferGateway(Gateway):
    """Nothing to authorize: the order waits until staff record that the funds arrived."""

    code = "bank_transfer"

    def authorize(self, *, amount, currency, token, idempotency_key):
        return GatewayResult("pending", _reference("bt", idempotency_key), message="Awaiting bank transfer.")


class CashGateway(Gateway):
    """Paid at the counter (in-store orders)."""

    code = "cash"

    def authorize(self, *, amount, currency, token, idempotency_key):
        return GatewayResult("succeeded", _reference("cash", idempotency_key))


class OnAccountGateway(Gateway):
    """Credit terms: authorizing opens an invoice; the credit check happened before."""

    code = "on_account"

    def authorize(self, *, amount, currency, token, idempotency_key):
        return GatewayResult("succeeded", _reference("inv", idempotency_key))


class ExchangeGateway(Gateway):
    """A replacement order paid by the goods that came back (or were lost): nothing to charge."""

    code = "exchange"

    def authorize(self, *, amount, currency, token, idempotency_key):
        return GatewayResult("succeeded", _reference("exch", idempotency_key))


GATEWAYS: dict[str, Gateway] = {
    g.code: g for g in (TestCardGateway(), BankTransferGateway(), CashGateway(), OnAccountGateway(), ExchangeGateway())
}


def gateway_for(method: str) -> Gateway:
    if method == "card" and settings.OMS_CARD_GATEWAY == "stripe":
        from payments.gateways.stripe import StripeGateway

        return StripeGateway()
    return GATEWAYS[method]
