"""Purchasing use cases: suppliers, purchase orders, sending them and receiving the goods.

Each service is one transaction. A purchase order's row is locked (``select_for_update``) before its status or
its lines change, so two people receiving the same delivery at once queue up and the second sees what the first
booked: a line never receives more than was ordered (the database refuses it too). Receipts go through the stock
ledger (``receipt`` movements whose reference is the PO number, stock rows locked in pk order), which queues the
``OMS_STOCK_ARRIVED_TASKS`` so that waiting orders get the goods. Every change is written to the admin log
(who, when, what), shown on the purchase order's page.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from inventory.documents import PurchaseOrderDocument, PurchaseOrderDocumentLine, purchase_order_pdf
from inventory.models import (
    PO,
    PO_ORDERED,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    StockItem,
    StockMovement,
    Supplier,
    Warehouse,
)
from inventory.numbers import document_number_next
from inventory.services.movements import _apply
from oms import outbox
from oms.exceptions import ConflictError, DomainError, InvalidInput, NotFound

MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class LineInput:
    product_id: int
    quantity: int
    unit_cost: Decimal


# --- suppliers -----------------------------------------------------------------------------------------------
@transaction.atomic
def supplier_save(
    *,
    supplier_id: int | None = None,
    name: str,
    contact_name: str = "",
    email: str = "",
    phone: str = "",
    lead_time_days: int = 14,
    is_active: bool = True,
    notes: str = "",
) -> Supplier:
    """Create a supplier (``supplier_id`` None) or change one. Names are unique, ignoring case."""
    name = name.strip()
    if not name:
        raise InvalidInput("A supplier needs a name.", fields={"name": ["Enter the supplier's name."]})
    if lead_time_days < 0:
        raise InvalidInput("Lead time cannot be negative.", fields={"lead_time_days": ["Enter 0 or more days."]})
    if Supplier.objects.filter(name__iexact=name).exclude(pk=supplier_id).exists():
        message = f"There is a supplier named {name} already."
        raise InvalidInput(message, fields={"name": [message]})
    if supplier_id is None:
        supplier = Supplier()
    else:
        supplier = Supplier.objects.select_for_update().filter(pk=supplier_id).first()
        if supplier is None:
            raise NotFound("No such supplier.")
    supplier.name, supplier.contact_name, supplier.email, supplier.phone = name, contact_name, email, phone
    supplier.lead_time_days, supplier.is_active, supplier.notes = lead_time_days, is_active, notes
    supplier.save()
    return supplier


# --- purchase orders -----------------------------------------------------------------------------------------
def _log(purchase_order: PurchaseOrder, user, message: str, *, flag: int = CHANGE) -> None:
    if user is None or user.pk is None:
        return
    LogEntry.objects.log_actions(  # the entry is named by str(purchase_order), its number
        user_id=user.pk, queryset=[purchase_order], action_flag=flag, change_message=message[:2000], single_object=True
    )


def _locked(number: str) -> PurchaseOrder:
    purchase_order = (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("supplier", "warehouse")
        .filter(number=number)
        .first()
    )
    if purchase_order is None:
        raise NotFound(f"No purchase order {number}.")
    return purchase_order


def _supplier_and_warehouse(supplier_id: int, warehouse_id: int) -> tuple[Supplier, Warehouse]:
    supplier = Supplier.objects.filter(pk=supplier_id, is_active=True).first()
    if supplier is None:
        raise InvalidInput("Choose an active supplier.", fields={"supplier": ["Choose an active supplier."]})
    warehouse = Warehouse.objects.filter(pk=warehouse_id, is_active=True).first()
    if warehouse is None:
        message = "Choose an active warehouse to deliver to."
        raise InvalidInput(message, fields={"warehouse": [message]})
    return supplier, warehouse


def _lines_check(lines: list[LineInput]) -> dict[int, Product]:
    """The products of the lines, or InvalidInput naming each bad line (field ``lines``)."""
    products = Product.objects.in_bulk({line.product_id for line in lines})
    problems, seen = [], set()
    for number, line in enumerate(lines, start=1):
        product = products.get(line.product_id)
        name = product.sku if product else f"Line {number}"
        if product is None:
            problems.append(f"Line {number}: no such product.")
        elif line.product_id in seen:
            problems.append(f"{name} is listed twice: put it on one line.")
        if not 1 <= line.quantity <= MAX_QUANTITY:
            problems.append(f"{name}: order between 1 and {MAX_QUANTITY:,} units.")
        cost = Decimal(str(line.unit_cost))
        if not cost.is_finite() or cost < 0 or cost.as_tuple().exponent < -2:
            problems.append(f"{name}: the unit cost must be 0 or more, in cents at most.")
        seen.add(line.product_id)
    if problems:
        raise InvalidInput(" ".join(problems), fields={"lines": problems})
    return products


def _lines_replace(purchase_order: PurchaseOrder, lines: list[LineInput]) -> None:
    _lines_check(lines)
    purchase_order.lines.all().delete()
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            purchase_order=purchase_order,
            product_id=line.product_id,
            quantity_ordered=line.quantity,
            unit_cost=line.unit_cost,
        )
        for line in lines
    )


@transaction.atomic
def purchase_order_create(
    *,
    supplier_id: int,
    warehouse_id: int,
    user,
    expected_date=None,
    notes: str = "",
    lines: list[LineInput] = (),
) -> PurchaseOrder:
    """A draft purchase order with its number and lines. ``expected_date`` defaults to today plus the
    supplier's lead time."""
    supplier, warehouse = _supplier_and_warehouse(supplier_id, warehouse_id)
    _lines_check(list(lines))
    today = timezone.localdate()
    purchase_order = PurchaseOrder.objects.create(
        number=document_number_next(series="PO"),
        supplier=supplier,
        warehouse=warehouse,
        currency=settings.OMS_CURRENCY,
        expected_date=expected_date or today + timedelta(days=supplier.lead_time_days),
        notes=notes,
        created_by=user if user is not None and user.pk else None,
    )
    _lines_replace(purchase_order, list(lines))
    _log(purchase_order, user, f"Drafted for {supplier.name}, delivery to {warehouse.code}.", flag=ADDITION)
    return purchase_order


@transaction.atomic
def purchase_order_update(
    *,
    number: str,
    user,
    expected_date,
    notes: str = "",
    supplier_id: int | None = None,
    warehouse_id: int | None = None,
    lines: list[LineInput] | None = None,
) -> PurchaseOrder:
    """Change a purchase order. A draft may change everything; once sent only the expected date and the notes
    (the supplier confirmed another date); a received or cancelled one nothing."""
    purchase_order = _locked(number)
    if not purchase_order.is_open:
        raise ConflictError(f"{number} is {purchase_order.get_status_display().lower()}: it can no longer change.")
    if purchase_order.status == PO.DRAFT:
        supplier, warehouse = _supplier_and_warehouse(
            supplier_id or purchase_order.supplier_id, warehouse_id or purchase_order.warehouse_id
        )
        purchase_order.supplier, purchase_order.warehouse = supplier, warehouse
        if lines is not None:
            _lines_replace(purchase_order, list(lines))
    elif lines is not None or supplier_id not in (None, purchase_order.supplier_id):
        raise ConflictError(f"{number} was sent: only its expected date and notes can change.")
    if expected_date is None:
        raise InvalidInput("Enter the expected date.", fields={"expected_date": ["Enter the expected date."]})
    purchase_order.expected_date, purchase_order.notes = expected_date, notes
    purchase_order.save()
    _log(purchase_order, user, f"Changed (expected {expected_date:%d %b %Y}).")
    return purchase_order


@transaction.atomic
def purchase_order_lines_set(*, number: str, lines: list[LineInput], user) -> PurchaseOrder:
    """Replace the lines of a draft purchase order."""
    purchase_order = _locked(number)
    if purchase_order.status != PO.DRAFT:
        raise ConflictError(f"{number} was sent: its lines can no longer change.")
    _lines_replace(purchase_order, list(lines))
    _log(purchase_order, user, f"Lines set ({len(lines)}).")
    return purchase_order


@transaction.atomic
def purchase_order_send(*, number: str, user) -> PurchaseOrder:
    """Send a draft to its supplier: it becomes ``sent`` and its PDF is emailed after commit (outbox)."""
    purchase_order = _locked(number)
    if purchase_order.status != PO.DRAFT:
        raise ConflictError(f"{number} is {purchase_order.get_status_display().lower()}, not a draft: it went already.")
    if not purchase_order.lines.exists():
        raise DomainError(f"{number} has no lines: add what to order before sending it.", code="no_lines")
    supplier = purchase_order.supplier
    if not supplier.email:
        raise DomainError(
            f"{supplier.name} has no email address: add one on the supplier's page to send the order.",
            code="supplier_without_email",
        )
    purchase_order.send(at=timezone.now())
    purchase_order.save(update_fields=["status", "sent_at", "updated_at"])
    outbox.enqueue(
        "inventory.tasks.send_purchase_order_task",
        queue="inventory",
        dedupe_key=f"purchase-order-email:{purchase_order.pk}",
        purchase_order_id=purchase_order.pk,
    )
    _log(purchase_order, user, f"Sent to {supplier.name} ({supplier.email}).")
    return purchase_order


@transaction.atomic
def purchase_order_cancel(*, number: str, user) -> PurchaseOrder:
    """Cancel a purchase order of which nothing arrived yet."""
    purchase_order = _locked(number)
    received = purchase_order.lines.filter(quantity_received__gt=0).exists()
    if purchase_order.status not in (PO.DRAFT, PO.SENT) or received:
        raise ConflictError(
            f"{number} is {purchase_order.get_status_display().lower()}: only a purchase order of which nothing "
            "was received can be cancelled."
        )
    purchase_order.cancel(at=timezone.now())
    purchase_order.save(update_fields=["status", "cancelled_at", "updated_at"])
    _log(purchase_order, user, "Cancelled.")
    return purchase_order


@transaction.atomic
def purchase_order_receive(*, number: str, quantities: dict[int, int], user) -> PurchaseOrder:
    """Book goods that arrived against a sent purchase order: ``quantities`` maps line id → units received now.

    Part of a delivery leaves the order ``partially_received``; the last units make it ``received``. More than
    a line still awaits is refused, naming the line, and nothing is booked. The stock rows of the destination
    warehouse (made if it did not stock a product yet) get ``receipt`` movements referencing the PO number.
    """
    purchase_order = _locked(number)
    if purchase_order.status not in PO_ORDERED:
        raise ConflictError(
            f"{number} is {purchase_order.get_status_display().lower()}: only a sent purchase order can be received."
        )
    lines = {line.pk: line for line in purchase_order.lines.select_related("product").order_by("pk")}
    errors: dict[str, list[str]] = {}
    wanted: dict[int, int] = {}
    for line_id, quantity in quantities.items():
        line = lines.get(int(line_id))
        if line is None:
            errors.setdefault("lines", []).append(f"Line {line_id} is not on {number}.")
        elif quantity < 0:
            errors[f"line_{line.pk}"] = [f"{line.product.sku}: enter 0 or more units."]
        elif quantity > line.outstanding:
            errors[f"line_{line.pk}"] = [
                f"{line.product.sku}: {quantity} is more than the {line.outstanding} still to come "
                f"({line.quantity_ordered} ordered, {line.quantity_received} received)."
            ]
        elif quantity:
            wanted[line.pk] = quantity
    if errors:
        raise InvalidInput(" ".join(m for ms in errors.values() for m in ms), fields=errors)
    if not wanted:
        message = "Enter how many units arrived for at least one line."
        raise InvalidInput(message, fields={"lines": [message]})

    items = _stock_rows(purchase_order, [lines[pk].product_id for pk in wanted])
    actor = getattr(user, "username", "") or ""
    _apply(
        [(items[lines[pk].product_id].pk, quantity) for pk, quantity in wanted.items()],
        kind=StockMovement.Kind.RECEIPT,
        on_hand_sign=1,
        reserved_sign=0,
        reference=purchase_order.number,
        reason=f"Purchase order {purchase_order.number} from {purchase_order.supplier.name}"[:200],
        actor=actor[:150],
    )
    # New stock may dip again: let the low-stock alert fire next time, as any receipt does.
    StockItem.objects.filter(pk__in=[item.pk for item in items.values()]).update(low_stock_alerted=False)
    for pk, quantity in wanted.items():
        lines[pk].quantity_received += quantity
    PurchaseOrderLine.objects.bulk_update([lines[pk] for pk in wanted], ["quantity_received"])
    if all(line.outstanding == 0 for line in lines.values()):
        purchase_order.receive_all(at=timezone.now())
    else:
        purchase_order.receive_part()
    purchase_order.save(update_fields=["status", "received_at", "updated_at"])
    booked = ", ".join(f"{quantity} × {lines[pk].product.sku}" for pk, quantity in wanted.items())
    _log(purchase_order, user, f"Received {booked} into {purchase_order.warehouse.code}.")
    return purchase_order


def _stock_rows(purchase_order: PurchaseOrder, product_ids: list[int]) -> dict[int, StockItem]:
    """The destination warehouse's stock rows of these products, made where missing (then locked by the ledger)."""
    existing = {
        item.product_id: item
        for item in StockItem.objects.filter(warehouse_id=purchase_order.warehouse_id, product_id__in=product_ids)
    }
    missing = [p for p in product_ids if p not in existing]
    if missing and not purchase_order.warehouse.is_active:
        message = f"{purchase_order.warehouse.code} is not active: it can only receive products it stocks already."
        raise ConflictError(message)
    for product_id in missing:
        try:
            with transaction.atomic():
                existing[product_id] = StockItem.objects.create(
                    product_id=product_id, warehouse_id=purchase_order.warehouse_id
                )
        except IntegrityError:  # made a moment ago by another receipt into the same warehouse
            existing[product_id] = StockItem.objects.get(
                product_id=product_id, warehouse_id=purchase_order.warehouse_id
            )
    return existing


# --- the PDF and the email -----------------------------------------------------------------------------------
def _buyer() -> list[str]:
    return [
        settings.OMS_SHIP_FROM_NAME,
        settings.OMS_SHIP_FROM_STREET,
        settings.OMS_SHIP_FROM_CITY,
        settings.OMS_SHIP_FROM_COUNTRY,
        settings.DEFAULT_FROM_EMAIL,
    ]


def purchase_order_pdf_render(*, purchase_order: PurchaseOrder) -> tuple[str, bytes]:
    """The purchase order as a PDF: (file name, bytes)."""
    supplier, warehouse = purchase_order.supplier, purchase_order.warehouse
    lines = purchase_order.lines.select_related("product").order_by("product__sku")
    document = PurchaseOrderDocument(
        number=purchase_order.number,
        issued_on=timezone.localdate(purchase_order.sent_at or purchase_order.created_at),
        expected_date=purchase_order.expected_date,
        currency=purchase_order.currency,
        buyer=_buyer(),
        supplier=[supplier.name, supplier.contact_name, supplier.email, supplier.phone],
        deliver_to=[settings.OMS_SHIP_FROM_NAME, f"{warehouse.name} ({warehouse.code})", warehouse.country],
        lines=[
            PurchaseOrderDocumentLine(
                sku=line.product.sku, name=line.product.name, quantity=line.quantity_ordered, unit_cost=line.unit_cost
            )
            for line in lines
        ],
        notes=purchase_order.notes,
    )
    return f"{purchase_order.number}.pdf", purchase_order_pdf(document)


def purchase_order_email_send(*, purchase_order_id: int) -> bool:
    """Email a sent purchase order's PDF to its supplier, once; True when this call sent it."""
    with transaction.atomic():
        purchase_order = (
            PurchaseOrder.objects.select_for_update(of=("self",))
            .select_related("supplier", "warehouse")
            .filter(pk=purchase_order_id)
            .first()
        )
        if purchase_order is None or purchase_order.emailed_at is not None:
            return False
        if purchase_order.status in (PO.DRAFT, PO.CANCELLED) or not purchase_order.supplier.email:
            return False
        filename, pdf = purchase_order_pdf_render(purchase_order=purchase_order)
        context = {
            "purchase_order": purchase_order,
            "supplier": purchase_order.supplier,
            "buyer": settings.OMS_SHIP_FROM_NAME,
            "lines": purchase_order.lines.select_related("product").order_by("product__sku"),
        }
        message = EmailMultiAlternatives(
            subject=f"Purchase order {purchase_order.number} from {settings.OMS_SHIP_FROM_NAME}",
            body=render_to_string("emails/purchase_order.txt", context),
            to=[purchase_order.supplier.email],
        )
        message.attach_alternative(render_to_string("emails/purchase_order.html", context), "text/html")
        message.attach(filename, pdf, "application/pdf")
        message.send()
        purchase_order.emailed_at = timezone.now()
        purchase_order.save(update_fields=["emailed_at"])
    return True
