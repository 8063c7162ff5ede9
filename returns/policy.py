"""The returns policy, read from settings (``OMS_RETURN_*``, ``OMS_RETURNLESS_*``) in one place.

Every rule that depends on the shop's policy asks here: the services, the portal and the money side
(returnless refunds, refunded shipping) read the same answers.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

MERCHANT = "merchant"
CUSTOMER = "customer"
REASON_LABELS = {
    "damaged": "Arrived damaged",
    "defective": "Defective",
    "wrong_item": "Wrong item sent",
    "not_as_described": "Not as described",
    "no_longer_needed": "No longer needed",
    "other": "Other",
}


@dataclass(frozen=True)
class ReturnPolicy:
    window_days: int
    reasons: tuple[str, ...]
    auto_authorize_reasons: frozenset[str]
    merchant_pays_reasons: frozenset[str]
    returnless_reasons: frozenset[str]
    returnless_max_value: Decimal
    refund_shipping: str

    def reason_choices(self) -> list[tuple[str, str]]:
        return [(code, REASON_LABELS.get(code, code.replace("_", " ").capitalize())) for code in self.reasons]

    def window_ends(self, delivered_at: datetime | None) -> datetime | None:
        return delivered_at + timedelta(days=self.window_days) if delivered_at else None

    def window_open(self, delivered_at: datetime | None, *, now: datetime | None = None) -> bool:
        ends = self.window_ends(delivered_at)
        return ends is not None and (now or timezone.now()) <= ends

    def auto_authorized(self, reasons: set[str]) -> bool:
        """Every line's reason is one the shop authorizes without a person looking."""
        return bool(reasons) and reasons <= self.auto_authorize_reasons

    def shipping_paid_by(self, reasons: set[str]) -> str:
        """The shop pays when any line's reason is its fault (damaged, wrong item...), else the customer."""
        return MERCHANT if reasons & self.merchant_pays_reasons else CUSTOMER

    def returnless(self, *, reasons: set[str], value: Decimal) -> bool:
        """The goods need not come back: every reason is a returnless one, or the value is under the threshold."""
        if reasons and reasons <= self.returnless_reasons:
            return True
        return self.returnless_max_value > 0 and value <= self.returnless_max_value

    def refunds_shipping(self, *, reasons: set[str]) -> bool:
        if self.refund_shipping == "always":
            return True
        if self.refund_shipping == "merchant_fault":
            return self.shipping_paid_by(reasons) == MERCHANT
        return False


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def return_policy() -> ReturnPolicy:
    """The policy as configured now (settings are read on each call, so tests can override them)."""
    return ReturnPolicy(
        window_days=settings.OMS_RETURN_WINDOW_DAYS,
        reasons=tuple(settings.OMS_RETURN_REASONS),
        auto_authorize_reasons=frozenset(settings.OMS_RETURN_AUTO_AUTHORIZE_REASONS),
        merchant_pays_reasons=frozenset(settings.OMS_RETURN_MERCHANT_PAYS_REASONS),
        returnless_reasons=frozenset(settings.OMS_RETURNLESS_REASONS),
        returnless_max_value=_decimal(settings.OMS_RETURNLESS_MAX_VALUE),
        refund_shipping=settings.OMS_RETURN_REFUND_SHIPPING,
    )
