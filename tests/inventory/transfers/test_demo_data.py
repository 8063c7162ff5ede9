"""``seed_demo`` shows transfers and counts: one transfer in transit, one received short, an open count sheet."""

from io import StringIO

import pytest
from django.core.management import call_command

from inventory.models import CycleCount, Transfer
from inventory.selectors import product_in_transit_total


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_transfers_and_an_open_count(reference_data, settings):
    settings.DEBUG = True
    err = StringIO()

    call_command("seed_demo", "--orders", "10", "--customers", "8", stdout=StringIO(), stderr=err)

    assert "Off plan" not in err.getvalue()
    in_transit, received = Transfer.objects.get(status="shipped"), Transfer.objects.get(status="received")
    assert (in_transit.from_warehouse.code, in_transit.to_warehouse.code) == ("NJ1", "NV1")
    assert product_in_transit_total(product_id=in_transit.lines.first().product_id) == 6
    assert sum(line.quantity - line.quantity_received for line in received.lines.all()) == 1
    count = CycleCount.objects.get(status="open")
    assert (count.warehouse.code, count.bin_from, count.bin_to) == ("NJ1", "A-01", "A-02")
    assert 0 < count.lines.filter(counted__isnull=False).count() < count.lines.count()
