from django.db.models import QuerySet

from shipping.carriers import CARRIERS
from shipping.models import Shipment, ShippingMethod


def shipping_method_get(*, code: str) -> ShippingMethod | None:
    return ShippingMethod.objects.filter(code=code, is_active=True).first()


def carrier_for_method(*, code: str) -> str:
    """The carrier that ships a method (also for a method retired since the order was placed)."""
    return ShippingMethod.objects.filter(code=code).values_list("carrier", flat=True).first() or "demo"


def shipment_list_for_order(*, order_id: int) -> QuerySet[Shipment]:
    return Shipment.objects.filter(order_id=order_id).prefetch_related("events")


def shipping_method_list_active() -> QuerySet[ShippingMethod]:
    """The methods staff may ship by today, fastest (lowest priority number) first."""
    return ShippingMethod.objects.filter(is_active=True).order_by("priority", "code")


def carrier_name(*, code: str) -> str:
    """The carrier's display name for documents and pages; the code itself for a carrier no longer known."""
    carrier = CARRIERS.get(code)
    return carrier.name if carrier is not None else code
