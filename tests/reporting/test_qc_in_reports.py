"""Quality-control failures show on the Exceptions report, per product, beside the checks that passed."""

import pytest
from django.utils import timezone

from orders.services.quality import order_quality_check
from reporting.selectors.exceptions import exceptions_report
from shipping.selectors import quality_check_pending_for_order
from shipping.services import QcLineResult
from tests.reporting.records import window
from tests.shipping.test_quality_control import results

pytestmark = pytest.mark.django_db


def test_a_failed_check_counts_against_its_product(packed, inspector):
    check = quality_check_pending_for_order(order_id=packed.pk)
    scratched = QcLineResult(checks={"Item matches SKU": True, "No damage": False}, note="scratched")

    order_quality_check(
        order_id=packed.pk, user=inspector, results=results(check, **{"CAM-1": scratched}), on_fail="hold"
    )

    today = timezone.localdate()
    assert exceptions_report(filters=window(today, today))["qc_failures"] == [
        {"sku": "CAM-1", "passed": 0, "failed": 1, "failure_rate": 1.0}
    ]
