"""Stripe's PaymentIntents API as far as the gateway uses it, with Stripe's idempotency and error shapes.

Payment methods: ``pm_card_visa`` authorizes (``requires_capture``), ``pm_card_chargeDeclined`` is a 402
``card_error`` (``generic_decline``), ``pm_card_threeDSecureRequired`` waits for the customer
(``requires_action``); ``pm_card_visa_no_multicapture`` authorizes but refuses part captures
(``final_capture=false``), as Stripe does where multicapture is not offered. Bearer auth with ``SECRET_KEY``;
form-encoded bodies; a repeated ``Idempotency-Key`` gets the first answer again.
"""

import itertools
from urllib.parse import parse_qs

from tests.fake_provider import FakeProvider, SeenRequest

SECRET_KEY = "sk_test_fake"


def _error(status: int, kind: str, message: str, code: str = "", decline_code: str = "") -> tuple[int, dict]:
    error = {"type": kind, "message": message}
    if code:
        error["code"] = code
    if decline_code:
        error["decline_code"] = decline_code
    return status, {"error": error}


class FakeStripe(FakeProvider):
    def __init__(self):
        super().__init__()
        self.intents: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.answers: dict[str, tuple[int, dict]] = {}
        self._ids = itertools.count(1)

    def handle(self, request: SeenRequest):
        if request.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        key = request.headers.get("Idempotency-Key")
        if key and key in self.answers:
            return self.answers[key]
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        answer = self._route(request.path.strip("/").split("/"), form)
        if key and answer[0] < 500:
            self.answers[key] = answer
        return answer

    def _route(self, parts: list[str], form: dict):
        if parts == ["v1", "payment_intents"]:
            return self._create(form)
        if len(parts) == 4 and parts[:2] == ["v1", "payment_intents"]:
            intent = self.intents.get(parts[2])
            if intent is None:
                return _error(404, "invalid_request_error", "No such payment_intent.", "resource_missing")
            return self._capture(intent, form) if parts[3] == "capture" else self._cancel(intent)
        if parts == ["v1", "refunds"]:
            return self._refund(form)
        return _error(404, "invalid_request_error", "Unrecognized request URL.")

    def _create(self, form: dict):
        if form.get("confirm") != "true" or form.get("capture_method") != "manual":
            return _error(400, "invalid_request_error", "Expected confirm=true and capture_method=manual.")
        if not form.get("amount", "").isdigit() or not form.get("currency"):
            return _error(400, "invalid_request_error", "Missing amount or currency.", "parameter_missing")
        intent = {
            "object": "payment_intent",
            "id": f"pi_{next(self._ids):08d}",
            "amount": int(form["amount"]),
            "currency": form["currency"],
            "payment_method": form.get("payment_method"),
            "capture_method": "manual",
            "amount_capturable": 0,
            "amount_received": 0,
            "last_payment_error": None,
            # Multicapture, when asked for and the card allows it: part captures leave the rest capturable.
            "multicapture": form.get("payment_method_options[card][request_multicapture]") == "if_available"
            and form.get("payment_method") != "pm_card_visa_no_multicapture",
        }
        method = form.get("payment_method")
        if method == "pm_card_chargeDeclined":
            intent["status"] = "requires_payment_method"
            self.intents[intent["id"]] = intent
            status, body = _error(402, "card_error", "Your card was declined.", "card_declined", "generic_decline")
            body["error"]["payment_intent"] = intent
            return status, body
        if method == "pm_card_threeDSecureRequired":
            intent["status"] = "requires_action"
        elif method in ("pm_card_visa", "pm_card_visa_no_multicapture"):
            intent.update(status="requires_capture", amount_capturable=intent["amount"])
        else:
            return _error(400, "invalid_request_error", f"No such PaymentMethod: '{method}'", "resource_missing")
        self.intents[intent["id"]] = intent
        return 200, intent

    def _capture(self, intent: dict, form: dict):
        if intent["status"] != "requires_capture":
            return _error(
                400,
                "invalid_request_error",
                "This PaymentIntent could not be captured.",
                "payment_intent_unexpected_state",
            )
        amount = int(form.get("amount_to_capture", intent["amount_capturable"]))
        if amount > intent["amount_capturable"]:
            return _error(400, "invalid_request_error", "Amount to capture is too large.", "amount_too_large")
        received = intent["amount_received"] + amount
        if form.get("final_capture") == "false":
            if not intent["multicapture"]:
                return _error(
                    400,
                    "invalid_request_error",
                    "Multicapture is not available for this PaymentIntent.",
                    "payment_intent_multicapture_unavailable",
                )
            intent.update(amount_received=received, amount_capturable=intent["amount_capturable"] - amount)
            return 200, intent
        intent.update(status="succeeded", amount_received=received, amount_capturable=0)
        return 200, intent

    def _cancel(self, intent: dict):
        if intent["status"] not in ("requires_capture", "requires_action", "requires_payment_method"):
            return _error(
                400,
                "invalid_request_error",
                "This PaymentIntent could not be canceled.",
                "payment_intent_unexpected_state",
            )
        intent.update(status="canceled", amount_capturable=0)
        return 200, intent

    def _refund(self, form: dict):
        intent = self.intents.get(form.get("payment_intent", ""))
        if intent is None or intent["status"] != "succeeded":
            return _error(
                400, "invalid_request_error", "This PaymentIntent has no charge to refund.", "charge_not_refundable"
            )
        refunded = sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent["id"])
        amount = int(form.get("amount", intent["amount_received"] - refunded))
        if amount > intent["amount_received"] - refunded:
            return _error(
                400, "invalid_request_error", "Refund amount is greater than unrefunded amount.", "amount_too_large"
            )
        refund = {
            "object": "refund",
            "id": f"re_{next(self._ids):08d}",
            "amount": amount,
            "payment_intent": intent["id"],
            "status": "succeeded",
        }
        self.refunds.append(refund)
        return 200, refund
