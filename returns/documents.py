"""The return label as a PDF, drawn by shipping's label layout from what the carrier issued."""

from decimal import Decimal

from django.conf import settings

from returns.models import ReturnRequest
from shipping.documents import label_pdf
from shipping.selectors import carrier_name


def return_label_pdf(*, return_request: ReturnRequest) -> bytes:
    """From the customer (the order's shipping address) back to the shop's warehouse address."""
    order = return_request.order
    weight = sum((line.order_line.weight_kg * line.quantity for line in return_request.lines.all()), Decimal(0))
    return label_pdf(
        carrier=carrier_name(code=return_request.label_carrier),
        service="return",
        tracking_number=return_request.label_tracking_number,
        weight_kg=weight,
        ship_from=order.shipping_address.lines(),
        ship_to=[
            f"{settings.OMS_SHIP_FROM_NAME} — Returns",
            settings.OMS_SHIP_FROM_STREET,
            settings.OMS_SHIP_FROM_CITY,
            settings.OMS_SHIP_FROM_COUNTRY,
        ],
        order_number=return_request.number,
    )
