"""Reads of returns shared by the API and the pages, with what they show prefetched."""

from django.db.models import Prefetch, QuerySet

from orders.models import Order
from returns.exceptions import ReturnNotFound
from returns.models import OPEN_STATES, ReturnEvent, ReturnLine, ReturnRequest


def _visible_to(queryset: QuerySet[ReturnRequest], *, storefront=None, user=None) -> QuerySet[ReturnRequest]:
    """A storefront sees the returns of its own orders; staff see all; anyone else none."""
    if storefront is not None:
        return queryset.filter(order__storefront=storefront)
    if user is not None and user.is_staff:
        return queryset
    return queryset.none()


def _with_details(queryset: QuerySet[ReturnRequest]) -> QuerySet[ReturnRequest]:
    return queryset.select_related("order", "replacement_order", "received_warehouse").prefetch_related(
        Prefetch("lines", queryset=ReturnLine.objects.select_related("order_line").order_by("pk")),
        Prefetch("events", queryset=ReturnEvent.objects.order_by("at", "pk")),
        "exchange_lines",
    )


def return_get_for_api(*, number: str, storefront=None, user=None) -> ReturnRequest:
    """The return ``number`` if the caller may see it, with lines and timeline; 404 otherwise."""
    queryset = _with_details(_visible_to(ReturnRequest.objects.all(), storefront=storefront, user=user))
    found = None if "\x00" in number else queryset.filter(number=number.upper()).first()
    if found is None:
        raise ReturnNotFound(f"No return {number}.")
    return found


def return_get(*, number: str) -> ReturnRequest | None:
    """Any return by number, with its details (pages check who may see it)."""
    return None if "\x00" in number else _with_details(ReturnRequest.objects.filter(number=number.upper())).first()


def return_list_for_order(*, order: Order) -> QuerySet[ReturnRequest]:
    return _with_details(ReturnRequest.objects.filter(order=order)).order_by("created_at", "pk")


def return_list_open() -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.filter(status__in=OPEN_STATES).select_related("order")
