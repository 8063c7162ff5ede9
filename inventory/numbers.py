"""Numbers of stock documents: ``<series>-<year>-<six digits>`` (PO-2026-000001, TR-2026-000001, CC-…)."""

from django.utils import timezone

from inventory.models import StockDocumentSequence


def document_number_next(*, series: str) -> str:
    """The next number of a yearly series, never repeated nor skipped: the year's sequence row is locked to
    take it (the caller is in a transaction, which holds the lock until it commits)."""
    year = timezone.localdate().year
    StockDocumentSequence.objects.get_or_create(series=series, year=year)
    sequence = StockDocumentSequence.objects.select_for_update().get(series=series, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{series}-{year}-{sequence.last:06d}"
