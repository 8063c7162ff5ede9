"""Returns feed the reports: refunds in the sales figures, returned units by product and reason on Exceptions."""

import pytest
from django.utils import timezone

from reporting.selectors.exceptions import exceptions_report
from reporting.selectors.sales import sales_summary
from returns.services.resolution import return_refund
from tests.factories import StaffFactory
from tests.reporting.records import window

pytestmark = pytest.mark.django_db


def test_a_refunded_return_shows_in_refunds_and_returns_by_product(return_in_state, commit):
    # given an inspected return of one mug (of three ordered), refunded today
    inspected = return_in_state("inspected", quantity=1)
    with commit():
        refunded = return_refund(return_request=inspected, user=StaffFactory(role="finance"))
    today = timezone.localdate()

    # then the sales figures count the money refunded, and Exceptions the unit returned by reason
    assert sales_summary(window(today, today))["refunds"] == refunded.refund_total > 0
    assert exceptions_report(filters=window(today, today))["returns"] == [
        {"sku": "MUG-1", "reason": "no_longer_needed", "units": 1, "return_rate": 0.3333}
    ]


def test_a_rejected_return_is_not_counted_as_returned(return_in_state):
    return_in_state("rejected", quantity=1)
    today = timezone.localdate()

    assert exceptions_report(filters=window(today, today))["returns"] == []
    assert sales_summary(window(today, today))["refunds"] == 0
