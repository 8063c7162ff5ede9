"""Goods receipts (by warehouse and SKU, into a bin) and bin locations."""

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction

from inventory.exceptions import InvalidStockChange
from inventory.models import Product, StockItem, StockMovement, Warehouse
from inventory.services.alerts import stock_arrived
from inventory.services.movements import stock_adjust

BIN_MAX = StockItem._meta.get_field("bin_location").max_length


def _bin(value: str) -> str:
    value = (value or "").strip()
    if len(value) > BIN_MAX:
        raise InvalidStockChange("Bin location too long.", fields={"bin_location": [f"At most {BIN_MAX} characters."]})
    return value


@transaction.atomic
def stock_receive_into(
    *, product_id: int, warehouse_id: int, quantity: int, reason: str, bin_location: str = "", actor: str = ""
) -> tuple[StockItem, bool]:
    """Book a goods receipt of a product into a warehouse, creating its stock row if the warehouse does not
    stock the product yet. Returns (the stock row, whether it was created).

    The row and the receipt movement are written in one transaction, so a new row never exists without the
    movement that explains its stock. Two receipts into the same new warehouse at once end in one row: the
    second insert waits on the unique (product, warehouse) index, fails, and ``get_or_create`` picks up the
    row the first committed. ``bin_location`` applies to a new row; an existing row keeps its bin (moved with
    ``stock_item_bin_set``), and naming a different one is refused rather than silently ignored.
    """
    if quantity <= 0:
        raise InvalidStockChange(
            "A goods receipt must add at least one unit.", fields={"quantity": ["Must be at least 1."]}
        )
    if not reason.strip():
        raise InvalidStockChange(
            "A reason is required for every stock change.", fields={"reason": ["Say why the stock changes."]}
        )
    bin_location = _bin(bin_location)
    if not Product.objects.filter(pk=product_id).exists():
        raise InvalidStockChange("No such product.", fields={"product": ["No such product."]})
    item = StockItem.objects.filter(product_id=product_id, warehouse_id=warehouse_id).first()
    if item is None and not Warehouse.objects.filter(pk=warehouse_id, is_active=True).exists():
        message = "Receive only into an active warehouse."
        raise InvalidStockChange(message, fields={"warehouse": [message]})
    item, created = StockItem.objects.get_or_create(
        product_id=product_id, warehouse_id=warehouse_id, defaults={"bin_location": bin_location}
    )
    if not created and bin_location and bin_location != item.bin_location:
        current = f"bin {item.bin_location}" if item.bin_location else "no bin yet"
        message = f"This warehouse already stocks the product ({current}): change the bin on the stock row."
        raise InvalidStockChange(message, fields={"bin_location": [message]})
    item = stock_adjust(
        stock_item_id=item.pk, delta=quantity, reason=reason, actor=actor, kind=StockMovement.Kind.RECEIPT
    )
    return item, created


@dataclass(frozen=True)
class ReceiptLine:
    sku: str
    quantity: int
    on_hand: int  # the warehouse's stock row once the receipt is booked
    available: int


@transaction.atomic
def stock_receipt_book(
    *, warehouse_code: str, reference: str, lines: list[tuple[str, int]], actor: str = ""
) -> tuple[Warehouse, list[ReceiptLine]]:
    """Book a delivery of several products into one warehouse: all lines or none (InvalidStockChange naming
    the bad field or line, nothing written).

    Each line is a ``receipt`` movement carrying ``reference`` (the delivery note, the purchase order); a
    product the warehouse did not stock yet gets its stock row. The rows are locked in primary-key order, as a
    reservation locks them, and the units arriving are announced (``stock_arrived``) so waiting orders get them.
    """
    errors: dict = {}
    warehouse = Warehouse.objects.filter(code=warehouse_code, is_active=True).first()
    if warehouse is None:
        errors["warehouse"] = [f"Unknown or inactive warehouse '{warehouse_code}'."]
    if not reference.strip():
        errors["reference"] = ["Say which delivery this is, e.g. the delivery note or purchase order number."]
    products = {p.sku: p for p in Product.objects.filter(sku__in=[sku for sku, _ in lines])}
    line_errors: dict = {}
    seen: set[str] = set()
    for index, (sku, quantity) in enumerate(lines):
        problems = {}
        if sku not in products:
            problems["sku"] = [f"Unknown SKU '{sku}'."]
        elif sku in seen:
            problems["sku"] = [f"'{sku}' appears twice; put the whole quantity on one line."]
        if quantity < 1:
            problems["quantity"] = ["Must be at least 1."]
        seen.add(sku)
        if problems:
            line_errors[str(index)] = problems
    if not lines:
        errors["lines"] = ["At least one line is required."]
    elif line_errors:
        errors["lines"] = line_errors
    if errors:
        raise InvalidStockChange("The goods receipt is not valid.", fields=errors)

    quantities = {products[sku].pk: quantity for sku, quantity in lines}
    locked = StockItem.objects.select_for_update(of=("self",)).filter(warehouse=warehouse, product_id__in=quantities)
    items = {i.product_id: i for i in locked.order_by("pk")}
    missing = [pk for pk in quantities if pk not in items]
    if missing:
        # A concurrent receipt may create the same row: the unique index makes this insert wait, then skip it.
        StockItem.objects.bulk_create(
            [StockItem(product_id=pk, warehouse=warehouse) for pk in missing], ignore_conflicts=True
        )
        items = {i.product_id: i for i in locked.order_by("pk")}
    for product_id, quantity in quantities.items():
        item = items[product_id]
        item.on_hand += quantity
        item.low_stock_alerted = False
    StockItem.objects.bulk_update(items.values(), ["on_hand", "low_stock_alerted"])
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_item=items[pk],
            kind=StockMovement.Kind.RECEIPT,
            on_hand_delta=quantity,
            reference=reference[:100],
            reason="Goods receipt",
            actor=actor[:150],
        )
        for pk, quantity in quantities.items()
    )
    stock_arrived(product_ids=quantities)
    booked = [
        ReceiptLine(sku, quantity, items[products[sku].pk].on_hand, items[products[sku].pk].available)
        for sku, quantity in lines
    ]
    return warehouse, booked


@transaction.atomic
def stock_item_bin_set(*, stock_item_id: int, bin_location: str, user) -> StockItem:
    """Move a stock row to another bin (or clear it). Quantities do not change, so the ledger gets no
    movement; the move is recorded in the admin log (who, from, to), shown on the stock ledger page."""
    bin_location = _bin(bin_location)
    locked = StockItem.objects.select_for_update(of=("self",)).select_related("warehouse")
    item = locked.filter(pk=stock_item_id).first()
    if item is None:
        raise InvalidStockChange("No such stock row.", fields={"stock_item": ["No such stock row."]})
    if item.bin_location == bin_location:
        return item
    old = item.bin_location
    item.bin_location = bin_location
    item.save(update_fields=["bin_location"])
    message = f"{item.warehouse.code}: bin {old or '(none)'} → {bin_location or '(none)'}"
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[item], action_flag=CHANGE, change_message=message, single_object=True
    )
    return item
