"""``product_expected_dates``: when more of a product should come, from the sent purchase orders still bringing
it; ``on_order_by_item``: how many are still to come per product × warehouse."""

from datetime import timedelta

from django.utils import timezone

from inventory import purchasing, selectors
from tests.factories import ProductFactory, WarehouseFactory


def test_the_earliest_open_date_per_product(make_po, mug, jug, buyer):
    today = timezone.localdate()
    main, east = WarehouseFactory(code="MAIN"), WarehouseFactory(code="EAST")
    make_po({mug: 5}, expected_date=today + timedelta(days=20), warehouse=main)
    make_po({mug: 5, jug: 2}, expected_date=today + timedelta(days=9), warehouse=east)
    make_po({jug: 3}, expected_date=today + timedelta(days=2), send=False, warehouse=main)  # a draft: no promise
    arrived = make_po({jug: 4}, expected_date=today + timedelta(days=1), warehouse=main)
    purchasing.purchase_order_receive(number=arrived.number, quantities={arrived.lines.get().pk: 4}, user=buyer)
    part = make_po({jug: 6}, expected_date=today + timedelta(days=5), warehouse=main)
    purchasing.purchase_order_receive(number=part.number, quantities={part.lines.get().pk: 2}, user=buyer)
    untouched = ProductFactory()

    dates = selectors.product_expected_dates([mug.pk, jug.pk, untouched.pk])

    assert dates == {mug.pk: today + timedelta(days=9), jug.pk: today + timedelta(days=5)}
    assert selectors.on_order_by_item() == {
        (mug.pk, main.pk): 5,
        (mug.pk, east.pk): 5,
        (jug.pk, east.pk): 2,
        (jug.pk, main.pk): 3 + 4,  # the draft, and what the part-received order still brings
    }
