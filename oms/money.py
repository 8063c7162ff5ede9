"""Money is Decimal with a currency, rounded here and nowhere else."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def quantize(amount: Decimal | int | str) -> Decimal:
    """Round an amount to cents, half up (the way invoices round)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
