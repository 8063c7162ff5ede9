"""``{% load money %}{{ amount|money:currency }}``: every amount on a page written one way, "2,293.97 USD".

Rounded to cents by ``oms.money.quantize`` (the one place money is rounded), thousands separated by commas,
the currency code after the amount. Dashboard, portal and email templates all use it (it lives in oms so the
emails the order domain sends need no face).
"""

from decimal import Decimal, InvalidOperation

from django import template

from oms.money import quantize

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    """``amount`` as "1,234.50" (with " USD" when a currency is given); blank for no amount."""
    if amount is None or amount == "":
        return ""
    try:
        text = f"{quantize(Decimal(str(amount))):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(amount)
    return f"{text} {currency}" if currency else text
