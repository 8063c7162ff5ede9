"""Stock use cases. Every change goes through the ledger and happens under row locks.

Rows are always locked in primary-key order, so two reservations touching the same products queue up
behind each other instead of deadlocking.
"""

from inventory.services.alerts import stock_arrived, stock_low_alert
from inventory.services.movements import (
    stock_adjust,
    stock_receive,
    stock_release,
    stock_repick_record,
    stock_return,
    stock_ship,
)
from inventory.services.receipts import ReceiptLine, stock_item_bin_set, stock_receipt_book, stock_receive_into
from inventory.services.reservation import (
    Allocation,
    StockRequest,
    stock_reserve,
    stock_reserve_available,
    stock_shortage,
)

__all__ = [
    "Allocation",
    "ReceiptLine",
    "StockRequest",
    "stock_adjust",
    "stock_arrived",
    "stock_item_bin_set",
    "stock_low_alert",
    "stock_receipt_book",
    "stock_receive",
    "stock_receive_into",
    "stock_release",
    "stock_repick_record",
    "stock_reserve",
    "stock_reserve_available",
    "stock_return",
    "stock_ship",
    "stock_shortage",
]
