"""Bad transfers are refused beside the field that is wrong, and nothing is written."""

import pytest

from inventory.exceptions import InvalidStockChange
from inventory.models import Transfer
from inventory.transfers import transfer_create
from tests.factories import WarehouseFactory


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("same warehouse", "to_warehouse"),
        ("inactive destination", "to_warehouse"),
        ("no lines", "lines"),
        ("twice", "lines"),
        ("zero", "lines"),
    ],
)
def test_bad_transfer_is_refused(east, west, stocked, clerk, case, field):
    mug = stocked("MUG-1", 10)
    closed = WarehouseFactory(code="CLOSED", is_active=False)
    arguments = {"from_warehouse_id": east.pk, "to_warehouse_id": west.pk, "lines": [(mug.pk, 2)], "user": clerk}
    arguments.update(
        {
            "same warehouse": {"to_warehouse_id": east.pk},
            "inactive destination": {"to_warehouse_id": closed.pk},
            "no lines": {"lines": []},
            "twice": {"lines": [(mug.pk, 1), (mug.pk, 2)]},
            "zero": {"lines": [(mug.pk, 0)]},
        }[case]
    )

    with pytest.raises(InvalidStockChange) as refused:
        transfer_create(**arguments)

    assert field in refused.value.fields
    assert not Transfer.objects.exists()
