"""Reads of bulk imports for the API and the dashboard."""

from django.db.models import QuerySet

from orders.models import OrderImport

LIST_FIELDS = ("id", "storefront__name", "status", "file_name", "created_by", "total", "created", "skipped",
               "failed", "created_at", "finished_at")  # fmt: skip


def order_import_get_for_storefront(*, import_id, storefront_id: int) -> OrderImport | None:
    """The storefront's import (one started: a dashboard draft is no import yet), or None."""
    return (
        OrderImport.objects.filter(pk=import_id, storefront_id=storefront_id)
        .exclude(status=OrderImport.Status.DRAFT)
        .defer("content")
        .first()
    )


def order_import_get(*, import_id) -> OrderImport | None:
    return OrderImport.objects.filter(pk=import_id).select_related("storefront").defer("content").first()


def order_import_list() -> QuerySet[OrderImport]:
    """Imports newest first, without their files."""
    return OrderImport.objects.select_related("storefront").only(*LIST_FIELDS).order_by("-created_at")
