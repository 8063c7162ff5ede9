"""Cycle counts: a count sheet for a warehouse and a bin range, counted on the shelf, posted to the ledger.

- create: the sheet lists the stock rows in the range, sorted by bin, each with the on-hand figure of that
  moment (``expected_on_hand``, printed on the sheet). A stock row is on one open sheet at a time.
- record: counted quantities are entered, all at once or a few at a time; each entry also notes the on-hand
  figure at that moment (``on_hand_at_count``).
- post: every counted line becomes a ``count`` movement of ``counted − on hand when counted``. Orders keep
  shipping while a count runs: a unit that left between printing and counting is already out of the shelf
  figure and of ``on_hand_at_count``, and one that leaves between counting and posting stays booked, so
  nothing is lost or counted twice. A count that would leave fewer units on hand than are reserved for
  orders is refused, naming the SKU, and nothing is posted.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import can_proceed

from inventory.exceptions import InvalidStockChange
from inventory.models import CycleCount, CycleCountLine, CycleCountStatus, StockItem, StockMovement, Warehouse
from inventory.numbers import document_number_next
from inventory.services import stock_arrived, stock_low_alert
from oms.exceptions import ConflictError, DomainError, NotFound

COUNT_FIELDS = ["status", "counted_by", "posted_by", "posted_at", "cancelled_at"]
MAX_COUNT = 1_000_000


class CountBelowReserved(DomainError):
    code = "count_below_reserved"


def bin_range_q(*, bin_from: str, bin_to: str, prefix: str = "") -> Q:
    """Stock rows whose bin is in the inclusive range; ``bin_to`` also takes the bins under it ("A-09" takes
    "A-09-3"). Both blank: every row, with a bin or not."""
    condition = Q()
    if bin_from:
        condition &= Q(**{f"{prefix}bin_location__gte": bin_from})
    if bin_to:
        condition &= Q(**{f"{prefix}bin_location__lte": bin_to}) | Q(**{f"{prefix}bin_location__startswith": bin_to})
    if bin_from or bin_to:
        condition &= ~Q(**{f"{prefix}bin_location": ""})
    return condition


@transaction.atomic
def cycle_count_create(*, warehouse_id: int, bin_from: str = "", bin_to: str = "", user=None) -> CycleCount:
    """A count sheet of the warehouse's stock rows in the bin range, with their on-hand figures now."""
    bin_from, bin_to = (bin_from or "").strip(), (bin_to or "").strip()
    # Locking the warehouse row makes two sheets for the same warehouse wait for each other, so the overlap
    # check below sees the other's lines.
    warehouse = Warehouse.objects.select_for_update().filter(pk=warehouse_id).first()
    if warehouse is None:
        raise InvalidStockChange("No such warehouse.", fields={"warehouse": ["No such warehouse."]})
    if bin_from and bin_to and bin_from > bin_to:
        message = f"The range ends before it starts: {bin_to} sorts before {bin_from}."
        raise InvalidStockChange(message, fields={"bin_to": [message]})
    rows = list(
        StockItem.objects.filter(bin_range_q(bin_from=bin_from, bin_to=bin_to), warehouse=warehouse)
        .select_related("product")
        .order_by("bin_location", "product__sku")
    )
    if not rows:
        where = f"bins {bin_from or '…'} to {bin_to or '…'}" if bin_from or bin_to else "it"
        message = f"{warehouse.code} has no stock rows in {where}."
        raise InvalidStockChange(message, fields={"bin_from": [message]})
    taken = (
        CycleCountLine.objects.filter(cycle_count__status=CycleCountStatus.OPEN)
        .filter(stock_item__in=rows)
        .select_related("cycle_count", "stock_item__product")
        .order_by("stock_item__bin_location", "pk")
    )
    if busy := list(taken[:5]):
        message = "Already on an open count: " + ", ".join(
            f"{line.stock_item.product.sku} (bin {line.stock_item.bin_location or 'none'}, {line.cycle_count.number})"
            for line in busy
        )
        raise InvalidStockChange(message + ".", fields={"bin_from": [message + "."]})
    count = CycleCount.objects.create(
        number=document_number_next(series="CC"),
        warehouse=warehouse,
        bin_from=bin_from,
        bin_to=bin_to,
        created_by=user,
    )
    CycleCountLine.objects.bulk_create(
        CycleCountLine(cycle_count=count, stock_item=row, bin_location=row.bin_location, expected_on_hand=row.on_hand)
        for row in rows
    )
    return count


def _lock(cycle_count_id: int, step: str, refused: str) -> CycleCount:
    count = CycleCount.objects.select_for_update(of=("self",)).select_related("warehouse")
    count = count.filter(pk=cycle_count_id).first()
    if count is None:
        raise NotFound("No such count sheet.")
    if not can_proceed(getattr(count, step)):
        raise ConflictError(
            f"Count {count.number} is {count.get_status_display().lower()}: {refused}", code="count_wrong_state"
        )
    return count


@transaction.atomic
def cycle_count_record(*, cycle_count_id: int, counts: dict[int, int | None], user=None) -> CycleCount:
    """Enter counted quantities (line id → units on the shelf; None clears a line). Lines left out keep what
    they had, so a sheet can be filled in over several saves."""
    count = _lock(cycle_count_id, "post", "counts can be entered only while it is open.")
    lines = {line.pk: line for line in count.lines.select_related("stock_item__product")}
    errors = {}
    for line_id, counted in counts.items():
        line = lines.get(line_id)
        if line is None:
            errors[f"line_{line_id}"] = ["Not a line of this count sheet."]
        elif counted is not None and not 0 <= counted <= MAX_COUNT:
            errors[f"line_{line_id}"] = [f"{line.stock_item.product.sku}: enter a count from 0 to {MAX_COUNT}."]
    if errors:
        raise InvalidStockChange("Some counts cannot be saved.", fields=errors)
    now, changed = timezone.now(), []
    on_hand = dict(
        StockItem.objects.filter(pk__in=[lines[i].stock_item_id for i in counts]).values_list("pk", "on_hand")
    )
    for line_id, counted in counts.items():
        line = lines[line_id]
        if counted == line.counted:
            continue  # saved again unchanged: keep the on-hand figure of when it was counted
        line.counted = counted
        line.on_hand_at_count = None if counted is None else on_hand[line.stock_item_id]
        line.counted_at = None if counted is None else now
        changed.append(line)
    CycleCountLine.objects.bulk_update(changed, ["counted", "on_hand_at_count", "counted_at"])
    if changed and user is not None:
        count.counted_by = user
        count.save(update_fields=["counted_by"])
    return count


@transaction.atomic
def cycle_count_post(*, cycle_count_id: int, counts: dict[int, int | None] | None = None, user=None) -> CycleCount:
    """Book every counted line: a ``count`` movement of counted − on hand when counted. All lines or none.

    ``counts``, if given, are recorded first (as ``cycle_count_record``), in the same transaction."""
    if counts:
        cycle_count_record(cycle_count_id=cycle_count_id, counts=counts, user=user)
    count = _lock(cycle_count_id, "post", "only an open count can be posted.")
    lines = [line for line in count.lines.select_related("stock_item__product") if line.counted is not None]
    if not lines:
        raise InvalidStockChange(
            "Enter at least one counted quantity before posting.", fields={"counts": ["Nothing is counted yet."]}
        )
    rows = {
        row.pk: row
        for row in StockItem.objects.select_for_update()
        .filter(pk__in=[line.stock_item_id for line in lines])
        .order_by("pk")
    }
    refused = []
    for line in lines:
        row = rows[line.stock_item_id]
        line.variance = line.counted - line.on_hand_at_count
        after = row.on_hand + line.variance
        if after < row.reserved:
            refused.append(
                f"{line.stock_item.product.sku} (bin {line.bin_location or 'none'}): counted {line.counted} "
                f"would leave {after} on hand, fewer than the {row.reserved} reserved for orders"
            )
    if refused:
        raise CountBelowReserved(
            "The count cannot be posted: " + "; ".join(refused) + ". Recount, or release those orders' stock first."
        )
    actor = user.get_username() if user is not None else "system"
    for line in lines:
        rows[line.stock_item_id].on_hand += line.variance
    StockItem.objects.bulk_update(list(rows.values()), ["on_hand"])
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_item_id=line.stock_item_id,
            kind=StockMovement.Kind.COUNT,
            on_hand_delta=line.variance,
            reference=count.number,
            reason=f"Cycle count {count.number}: counted {line.counted}, expected {line.on_hand_at_count}",
            actor=actor,
        )
        for line in lines
    )
    CycleCountLine.objects.bulk_update(lines, ["variance"])
    up = [line for line in lines if line.variance > 0]
    stock_arrived(product_ids={line.stock_item.product_id for line in up})
    stock_low_alert(stock_item_ids=[line.stock_item_id for line in up], fell=False)
    stock_low_alert(stock_item_ids=[line.stock_item_id for line in lines if line.variance < 0], fell=True)
    if count.counted_by_id is None:
        count.counted_by = user
    count.post(by=user, at=timezone.now())
    count.save(update_fields=COUNT_FIELDS)
    return count


@transaction.atomic
def cycle_count_cancel(*, cycle_count_id: int, user=None) -> CycleCount:
    """Drop an open count sheet: nothing is booked, its stock rows may go on another sheet."""
    count = _lock(cycle_count_id, "cancel", "only an open count can be cancelled.")
    count.cancel(at=timezone.now())
    count.save(update_fields=COUNT_FIELDS)
    return count
