"""A transfer pick and an order placed at the same moment for the last unit: one gets it, never both.

Both lock the source's stock rows (in primary-key order) before counting what is available, so on PostgreSQL
the second waits for the first and finds the unit gone.
"""

import pytest
from django.db.models import Sum

from inventory.exceptions import OutOfStock
from inventory.models import StockItem, Transfer
from inventory.services import stock_receive_into
from inventory.transfers import transfer_create, transfer_pick
from orders.models import Order
from tests.factories import OrderFactory, ProductFactory, StaffFactory, WarehouseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PRODUCTS = 4


def test_the_last_unit_goes_to_the_pick_or_the_order_never_both(postgres_only, reference_data, parallel):
    # given four products with one unit each in MAIN, and a draft transfer of each to WEST
    main, west = WarehouseFactory(code="MAIN", priority=1), WarehouseFactory(code="WEST", priority=2)
    clerk = StaffFactory(role="warehouse")
    products = [ProductFactory(sku=f"LAST-{n}") for n in range(PRODUCTS)]
    transfers = []
    for product in products:
        stock_receive_into(product_id=product.pk, warehouse_id=main.pk, quantity=1, reason="initial stock")
        transfers.append(
            transfer_create(from_warehouse_id=main.pk, to_warehouse_id=west.pk, lines=[(product.pk, 1)], user=clerk)
        )

    # when, for each, the transfer is picked while a customer orders the unit, all at the same moment
    picks = [lambda t=t: transfer_pick(transfer_id=t.pk, user=clerk) for t in transfers]
    orders = [lambda p=p: OrderFactory(lines=[(p.sku, 1)]) for p in products]
    results = parallel(picks + orders, catch=(OutOfStock,))

    # then for every product exactly one of them holds the unit, and the stock row was never oversold
    for product, transfer, pick, order in zip(products, transfers, results[:PRODUCTS], results[PRODUCTS:], strict=True):
        picked = Transfer.objects.get(pk=transfer.pk).status == "picked"
        order = Order.objects.get(pk=order.pk)
        order_has_it = all(line.quantity_reserved == 1 for line in order.lines.all())
        assert picked != order_has_it, (product.sku, picked, order.status)
        assert isinstance(pick, OutOfStock) == order_has_it
        item = StockItem.objects.get(product=product, warehouse=main)
        assert (item.on_hand, item.reserved) == (1, 1)
        ledger = item.movements.aggregate(on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))
        assert (ledger["on_hand"], ledger["reserved"]) == (1, 1)
