"""Bulk order import: a CSV or XLSX file of order lines becomes orders, each placed by ``order_place``.

Rows sharing an ``external_ref`` are the lines of one order. The file is checked as a whole first (every row's
fields, the catalog, the addresses): an order with any bad row is not placed at all, and each bad row is
reported as ``{"row", "field", "message"}``. An ``external_ref`` that the storefront already has is skipped,
so importing a file again (or a task run again after a crash) makes no order twice.

Counts (``total``, ``created``, ``skipped``, ``failed``) are of orders, not rows. Imported orders pay by bank
transfer or on account: a card needs a token from the card form, which a file cannot carry.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from inventory.models import Product
from oms import outbox
from orders.addresses import address_errors
from orders.exceptions import InvalidOrder
from orders.models import Channel, Order, OrderImport
from orders.services.import_files import COLUMNS, InvalidImportFile, Row, import_file_read
from orders.services.placement import MAX_QUANTITY, AddressInput, PlacementInput, order_place
from payments.models import Payment
from shipping.models import ShippingMethod

PAYMENT_METHODS = (Payment.Method.BANK_TRANSFER, Payment.Method.ON_ACCOUNT)
# The columns every row of one order must repeat alike (the rest, sku and quantity, are the line's).
ORDER_COLUMNS = tuple(column for column in COLUMNS if column not in ("external_ref", "sku", "quantity"))
# The postal code is the address rule's to ask for: some countries have none (AE, HK).
REQUIRED = ("customer_email", "customer_name", "ship_name", "ship_line1", "ship_city",
            "ship_country", "shipping_method", "payment_method", "sku", "quantity")  # fmt: skip
MAX_LENGTHS = {
    "external_ref": 100,
    "customer_email": 254,
    "customer_name": 200,
    "customer_phone": 40,
    "ship_name": 200,
    "ship_line1": 200,
    "ship_line2": 200,
    "ship_city": 100,
    "ship_region": 100,
    "ship_postal_code": 20,
    "sku": 64,
    "notes": 2000,
}
MAX_LINES = 500
MAX_ERRORS_KEPT = 1000  # an import's error list stops here (the counts go on)
# Orders placed per transaction: one commit (and one progress update) per batch instead of per order. A batch
# holds its stock rows' locks until it commits, so it stays small; each order still has its own savepoint.
BATCH_SIZE = 20
ADDRESS_FIELDS = {"line1": "ship_line1", "city": "ship_city", "region": "ship_region",
                  "postal_code": "ship_postal_code", "country": "ship_country", "name": "ship_name"}  # fmt: skip


@dataclass
class PlannedOrder:
    ref: str
    rows: list[int]
    data: PlacementInput


@dataclass
class Plan:
    orders: list[PlannedOrder] = field(default_factory=list)  # the good ones, in file order
    errors: list[dict] = field(default_factory=list)
    failed: int = 0  # orders not placed for their bad rows

    @property
    def total(self) -> int:
        return len(self.orders) + self.failed


def _error(row: int, field_name: str, message: str) -> dict:
    return {"row": row, "field": field_name, "message": message}


def import_plan(*, rows: list[Row], storefront_id: int) -> Plan:
    """Check every row and group the good ones into orders; nothing is written."""
    plan = Plan()
    groups: dict[str, list[Row]] = {}
    for number, values in rows:
        ref = values["external_ref"]
        if not ref:
            plan.errors.append(_error(number, "external_ref", "Required: the rows of one order share it."))
            plan.failed += 1
            continue
        groups.setdefault(ref, []).append((number, values))
    catalog = _catalog(rows)
    for ref, group in groups.items():
        errors = _group_errors(group, catalog)
        if errors:
            plan.errors.extend(errors)
            plan.failed += 1
            continue
        plan.orders.append(
            PlannedOrder(ref=ref, rows=[n for n, _ in group], data=_placement(ref, group, storefront_id))
        )
    plan.errors.sort(key=lambda e: e["row"])
    return plan


def _catalog(rows: list[Row]) -> dict:
    """Products by SKU and the shipping method codes open to orders, in two queries."""
    skus = {values["sku"] for _, values in rows if values["sku"]}
    products = {p.sku: p.is_active for p in Product.objects.filter(sku__in=skus).only("sku", "is_active")}
    methods = set(ShippingMethod.objects.filter(is_active=True).values_list("code", flat=True))
    return {"products": products, "methods": methods}


def _group_errors(group: list[Row], catalog: dict) -> list[dict]:
    errors = []
    first_number, first = group[0]
    if len(group) > MAX_LINES:
        errors.append(_error(group[MAX_LINES][0], "external_ref", f"An order has at most {MAX_LINES} lines."))
    seen_skus: dict[str, int] = {}
    for number, values in group:
        errors.extend(_row_errors(number, values, catalog))
        for column in ORDER_COLUMNS:
            if number != first_number and values[column] != first[column]:
                errors.append(_error(number, column, f"Differs from row {first_number} of the same order."))
        sku = values["sku"]
        if sku in seen_skus:
            errors.append(_error(number, "sku", f"'{sku}' is on row {seen_skus[sku]} of this order already."))
        seen_skus.setdefault(sku, number)
    if not any(e["field"].startswith("ship_") for e in errors):
        problems = address_errors(
            country=first["ship_country"].upper(),
            region=first["ship_region"],
            postal_code=first["ship_postal_code"],
            city=first["ship_city"],
            line1=first["ship_line1"],
        )
        for name, messages in problems.items():
            for message in messages if isinstance(messages, list) else [messages]:
                errors.append(_error(first_number, ADDRESS_FIELDS.get(name, f"ship_{name}"), str(message)))
    return errors


def _row_errors(number: int, values: dict[str, str], catalog: dict) -> list[dict]:
    errors = [_error(number, column, "Required.") for column in REQUIRED if not values[column]]
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            errors.append(_error(number, column, f"At most {limit} characters."))
    missing = {e["field"] for e in errors}
    if "customer_email" not in missing:
        try:
            validate_email(values["customer_email"])
        except ValidationError:
            errors.append(_error(number, "customer_email", "Not an email address."))
    if "ship_country" not in missing and not (len(values["ship_country"]) == 2 and values["ship_country"].isalpha()):
        errors.append(_error(number, "ship_country", "Use a two-letter ISO country code, e.g. US."))
    if "quantity" not in missing:
        quantity = values["quantity"]
        if not quantity.isdigit() or not 0 < int(quantity) <= MAX_QUANTITY:
            errors.append(_error(number, "quantity", f"A whole number from 1 to {MAX_QUANTITY}."))
    method = values["payment_method"]
    if method and method not in PAYMENT_METHODS:
        why = " (a card needs a token from the card form, which a file cannot carry)" if method == "card" else ""
        errors.append(_error(number, "payment_method", f"Must be one of: {', '.join(PAYMENT_METHODS)}{why}."))
    if values["shipping_method"] and values["shipping_method"] not in catalog["methods"]:
        errors.append(_error(number, "shipping_method", f"Unknown shipping method '{values['shipping_method']}'."))
    sku = values["sku"]
    if sku and sku not in catalog["products"]:
        errors.append(_error(number, "sku", f"Unknown SKU '{sku}'."))
    elif sku and not catalog["products"][sku]:
        errors.append(_error(number, "sku", f"'{sku}' is not for sale."))
    return errors


def _placement(ref: str, group: list[Row], storefront_id: int) -> PlacementInput:
    _, first = group[0]
    return PlacementInput(
        customer_email=first["customer_email"],
        customer_name=first["customer_name"],
        customer_phone=first["customer_phone"],
        lines=[(values["sku"], int(values["quantity"])) for _, values in group],
        shipping_address=AddressInput(
            name=first["ship_name"],
            line1=first["ship_line1"],
            line2=first["ship_line2"],
            city=first["ship_city"],
            region=first["ship_region"],
            postal_code=first["ship_postal_code"],
            country=first["ship_country"].upper(),
        ),
        shipping_method=first["shipping_method"],
        payment_method=first["payment_method"],
        notes=first["notes"],
        channel=Channel.IMPORT,
        storefront_id=storefront_id,
        external_ref=ref,
    )


def _existing_refs(storefront_id: int, refs: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(refs), 1000):
        chunk = refs[start : start + 1000]
        found.update(
            Order.objects.filter(storefront_id=storefront_id, external_ref__in=chunk).values_list(
                "external_ref", flat=True
            )
        )
    return found


# --- the use cases ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    total: int
    to_create: int
    to_skip: int
    failed: int
    errors: list[dict]


def order_import_preview(*, import_id) -> Preview:
    """What importing the stored file would do now (the dry run): orders to make, to skip, and the bad rows."""
    order_import = OrderImport.objects.get(pk=import_id)
    plan = import_plan(
        rows=import_file_read(name=order_import.file_name, content=bytes(order_import.content)),
        storefront_id=order_import.storefront_id,
    )
    existing = _existing_refs(order_import.storefront_id, [o.ref for o in plan.orders])
    return Preview(
        total=plan.total,
        to_create=len(plan.orders) - len(existing),
        to_skip=len(existing),
        failed=plan.failed,
        errors=plan.errors[:MAX_ERRORS_KEPT],
    )


def order_import_create(
    *, storefront_id: int, name: str, content: bytes, actor: str, start: bool = True
) -> OrderImport:
    """Store the file and queue its import (``start``), or keep it as a draft to preview first.

    The file is read now, so a file that is not the format (too big, too many rows, not CSV or XLSX, the wrong
    header) is refused at once with ``InvalidImportFile`` and nothing is stored.
    """
    rows = import_file_read(name=name, content=content)
    with transaction.atomic():
        order_import = OrderImport.objects.create(
            storefront_id=storefront_id,
            file_name=name[:255],
            content=content,
            created_by=actor[:150],
            total=len({values["external_ref"] for _, values in rows if values["external_ref"]})
            + sum(1 for _, values in rows if not values["external_ref"]),
            status=OrderImport.Status.QUEUED if start else OrderImport.Status.DRAFT,
        )
        if start:
            _enqueue(order_import)
    return order_import


def order_import_start(*, import_id, inline: bool = False) -> OrderImport:
    """Queue a previewed draft, or run it here and now (``inline``: the command line); an import already
    queued or run is left as it is."""
    with transaction.atomic():
        order_import = OrderImport.objects.select_for_update().get(pk=import_id)
        if order_import.status != OrderImport.Status.DRAFT:
            return order_import
        order_import.status = OrderImport.Status.QUEUED
        order_import.save(update_fields=["status"])
        if not inline:
            _enqueue(order_import)
    return order_import_run(import_id=import_id) if inline else order_import


def _enqueue(order_import: OrderImport) -> None:
    outbox.enqueue("orders.tasks.import_orders_task", queue="orders", import_id=str(order_import.pk))


def order_import_run(*, import_id) -> OrderImport:
    """Place the import's orders one by one, from where the last run stopped, keeping the counts as it goes.

    Orders are placed in small batches, each one transaction with the import's progress (every order in its own
    savepoint), so progress shows while it runs and a run cut short (a worker restart) is carried on by the next
    from the last batch committed: an order committed is counted once, and its ``external_ref`` would stop a
    second one anyway.
    """
    with transaction.atomic():
        order_import = OrderImport.objects.select_for_update().get(pk=import_id)
        if order_import.status not in (OrderImport.Status.QUEUED, OrderImport.Status.RUNNING):
            return order_import
        order_import.status = OrderImport.Status.RUNNING
        order_import.started_at = order_import.started_at or timezone.now()
        order_import.save(update_fields=["status", "started_at"])
    try:
        rows = import_file_read(name=order_import.file_name, content=bytes(order_import.content))
    except InvalidImportFile as exc:
        return _finish(order_import, OrderImport.Status.FAILED, message=exc.message)
    plan = import_plan(rows=rows, storefront_id=order_import.storefront_id)
    if order_import.position == 0:
        order_import.total = plan.total
        order_import.failed = plan.failed
        order_import.errors = plan.errors[:MAX_ERRORS_KEPT]
        order_import.save(update_fields=["total", "failed", "errors"])
    existing = _existing_refs(order_import.storefront_id, [o.ref for o in plan.orders[order_import.position :]])
    actor = f"import:{order_import.pk}"
    pending = plan.orders[order_import.position :]
    for start in range(0, len(pending), BATCH_SIZE):
        with transaction.atomic():
            for planned in pending[start : start + BATCH_SIZE]:
                _import_one(order_import, planned, actor=actor, exists=planned.ref in existing)
            OrderImport.objects.filter(pk=order_import.pk).update(
                position=order_import.position,
                created=order_import.created,
                skipped=order_import.skipped,
                failed=order_import.failed,
                errors=order_import.errors,
            )
    return _finish(order_import, OrderImport.Status.DONE)


def _import_one(order_import: OrderImport, planned: PlannedOrder, *, actor: str, exists: bool) -> None:
    """Place one planned order (or skip or fail it) and count it on ``order_import`` (saved with its batch)."""
    if exists:
        order_import.skipped += 1
    else:
        try:
            with transaction.atomic():
                order_place(data=planned.data, actor=actor)
            order_import.created += 1
        except IntegrityError:  # the same external_ref placed by a concurrent import a moment ago
            order_import.skipped += 1
        except InvalidOrder as exc:
            _failed(order_import, _placement_errors(planned, exc))
        except DataError as exc:  # a value the database cannot store, though it passed the checks
            _failed(order_import, [_error(planned.rows[0], "external_ref", f"Could not be stored: {exc}"[:300])])
    order_import.position += 1


def _failed(order_import: OrderImport, errors: list[dict]) -> None:
    order_import.failed += 1
    if len(order_import.errors) < MAX_ERRORS_KEPT:
        order_import.errors = [*order_import.errors, *errors]


def _placement_errors(planned: PlannedOrder, exc: InvalidOrder) -> list[dict]:
    """The placement's refusal ({"lines": {"0": {"sku": [...]}}, "shipping_address": {...}}) as rows and columns."""
    errors = []
    for key, value in exc.fields.items():
        if key == "lines" and isinstance(value, dict):
            for index, problems in value.items():
                row = (
                    planned.rows[int(index)]
                    if str(index).isdigit() and int(index) < len(planned.rows)
                    else planned.rows[0]
                )
                for name, messages in problems.items():
                    errors.extend(_error(row, name, str(m)) for m in _listed(messages))
        elif isinstance(value, dict):
            for name, messages in value.items():
                column = ADDRESS_FIELDS.get(name, name) if key.endswith("address") else f"{key}_{name}"
                errors.extend(_error(planned.rows[0], column, str(m)) for m in _listed(messages))
        else:
            errors.extend(_error(planned.rows[0], key, str(m)) for m in _listed(value))
    return errors or [_error(planned.rows[0], "external_ref", exc.message)]


def _listed(messages) -> list:
    return messages if isinstance(messages, list) else [messages]


def _finish(order_import: OrderImport, status: str, *, message: str = "") -> OrderImport:
    order_import.status = status
    order_import.message = message[:500]
    order_import.finished_at = timezone.now()
    OrderImport.objects.filter(pk=order_import.pk).update(
        status=status, message=order_import.message, finished_at=order_import.finished_at
    )
    return order_import
