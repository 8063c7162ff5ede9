"""Reads of customers for the staff dashboard: the list, the detail page, look-ups while taking an order."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Max, Q, QuerySet

from oms.money import ZERO
from orders.models import Address, Customer, Order
from payments.selectors import customer_outstanding_balance

# Sort keys offered on the customer list → ORDER BY; a stable tiebreak last.
CUSTOMER_SORTS = {
    "name": ("Name A–Z", ["name", "pk"]),
    "-name": ("Name Z–A", ["-name", "-pk"]),
    "email": ("Email", ["email", "pk"]),
    "-created": ("Newest customers", ["-created_at", "-pk"]),
    "-orders": ("Most orders", ["-order_count", "name", "pk"]),
    "-last_order": ("Latest order", ["-last_order_at", "name", "pk"]),
    "-credit_limit": ("Highest credit limit", ["-credit_limit", "name", "pk"]),
}


def _clean(text: str) -> str:
    """Search text as the database can take it: PostgreSQL refuses NUL bytes."""
    return (text or "").replace("\x00", "").strip()


def _matching(queryset: QuerySet[Customer], query: str) -> QuerySet[Customer]:
    query = _clean(query)
    if not query:
        return queryset
    return queryset.filter(Q(name__icontains=query) | Q(email__icontains=query) | Q(phone__icontains=query))


def customer_list_for_staff(*, query: str = "", terms: str = "", sort: str = "name") -> QuerySet[Customer]:
    """Customers matching name, email or phone, optionally of one payment terms, with their order count and
    the time of their latest order."""
    queryset = _matching(Customer.objects.all(), query)
    if terms in Customer.PaymentTerms.values:
        queryset = queryset.filter(payment_terms=terms)
    queryset = queryset.annotate(order_count=Count("orders"), last_order_at=Max("orders__placed_at"))
    order_by = CUSTOMER_SORTS.get(sort, CUSTOMER_SORTS["name"])[1]
    if sort == "-last_order":  # customers without orders last, on every database
        order_by = [F("last_order_at").desc(nulls_last=True), "name", "pk"]
    return queryset.order_by(*order_by)


def customer_search(*, query: str, limit: int = 8) -> list[Customer]:
    """Suggestions while taking an order: name, email or phone contains the text; at least two characters."""
    query = _clean(query)
    if len(query) < 2:
        return []
    return list(_matching(Customer.objects.all(), query).order_by("name", "pk")[:limit])


def customer_get(*, pk: int) -> Customer | None:
    return Customer.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class Credit:
    """What a customer owes on account and how much of the limit is left."""

    on_account: bool
    limit: Decimal
    outstanding: Decimal
    remaining: Decimal


def customer_credit(*, customer: Customer) -> Credit:
    outstanding = customer_outstanding_balance(customer_id=customer.pk)
    return Credit(
        on_account=customer.on_account,
        limit=customer.credit_limit,
        outstanding=outstanding,
        remaining=max(customer.credit_limit - outstanding, ZERO) if customer.on_account else ZERO,
    )


def customer_addresses(*, customer_id: int, limit: int = 10) -> list[Address]:
    """The customer's distinct addresses, most recently used first.

    Every order stores its own copy of its addresses, so the same address appears once per order; the
    book shows it once.
    """
    seen: set[tuple] = set()
    book: list[Address] = []
    for address in Address.objects.filter(customer_id=customer_id).order_by("-pk")[:200]:
        key = (
            address.name.strip().lower(),
            address.line1.strip().lower(),
            address.line2.strip().lower(),
            address.city.strip().lower(),
            address.region.strip().lower(),
            address.postal_code.strip().lower(),
            address.country.upper(),
        )
        if key not in seen:
            seen.add(key)
            book.append(address)
            if len(book) == limit:
                break
    return book


def customer_last_address(*, customer_id: int) -> Address | None:
    """Where the customer's latest order went, else the newest address in the book: the entry form's default."""
    order = (
        Order.objects.filter(customer_id=customer_id)
        .select_related("shipping_address")
        .order_by("-placed_at", "-pk")
        .first()
    )
    if order is not None:
        return order.shipping_address
    return Address.objects.filter(customer_id=customer_id).order_by("-pk").first()


def customer_order_list(*, customer_id: int) -> QuerySet[Order]:
    return Order.objects.filter(customer_id=customer_id).order_by("-placed_at", "-pk")


def customer_change_list(*, customer_id: int, limit: int = 20) -> QuerySet[LogEntry]:
    """Who changed the customer's details or terms, newest first."""
    return (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Customer), object_id=str(customer_id))
        .select_related("user")
        .order_by("-action_time", "-pk")[:limit]
    )
