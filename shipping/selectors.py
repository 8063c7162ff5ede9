from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shipping.carriers import CARRIERS
from shipping.models import QualityCheck, QualityCheckLine, Shipment, ShippingMethod


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


def quality_check_pending_for_order(*, order_id: int) -> QualityCheck | None:
    """The packing of an order that waits for its quality check, with its lines."""
    return (
        QualityCheck.objects.filter(order_id=order_id, status=QualityCheck.Status.PENDING)
        .prefetch_related("lines__warehouse")
        .first()
    )


def quality_check_list_pending() -> QuerySet[QualityCheck]:
    """The inspectors' work list: packed orders waiting for a check, oldest packing first."""
    return (
        QualityCheck.objects.filter(status=QualityCheck.Status.PENDING)
        .select_related("order", "order__customer")
        .annotate(line_count=Count("lines"))
        .order_by("packed_at", "pk")
    )


def quality_check_list_for_order(*, order_id: int) -> QuerySet[QualityCheck]:
    """Every check of an order, newest first, with its lines (the QC page's history)."""
    return QualityCheck.objects.filter(order_id=order_id).prefetch_related("lines").order_by("-packed_at", "-pk")


def qc_counts_by_product(*, date_from: date, date_to: date) -> list[dict]:
    """Per SKU, the lines checked between ``date_from`` and ``date_to`` (inclusive, local days) that passed
    and failed: ``[{"sku", "passed", "failed"}]`` by SKU, for reports."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), tz)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), tz)
    rows = (
        QualityCheckLine.objects.filter(
            check_run__checked_at__gte=start, check_run__checked_at__lt=end, passed__isnull=False
        )
        .values("sku")
        .annotate(n_passed=Count("pk", filter=Q(passed=True)), n_failed=Count("pk", filter=Q(passed=False)))
        .order_by("sku")
    )
    return [{"sku": r["sku"], "passed": r["n_passed"], "failed": r["n_failed"]} for r in rows]
