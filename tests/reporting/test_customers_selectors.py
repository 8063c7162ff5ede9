"""Customers report: CSAT (average, distribution, response rate, weekly trend, comments) and repeat customers."""

from datetime import UTC, date, datetime

import pytest

from orders.models import Feedback
from reporting.selectors.customers import customers_report
from reporting.services import rebuild
from tests.reporting.records import at, customer_row, order_row, window

pytestmark = pytest.mark.django_db
MAR = [None] + [date(2026, 3, d) for d in range(1, 32)]  # MAR[d] is 2026-03-d


def rated(order, rating: int, moment, comment: str = "") -> Feedback:
    feedback = Feedback.objects.create(order=order, rating=rating, comment=comment)
    Feedback.objects.filter(pk=feedback.pk).update(created_at=moment)
    return feedback


@pytest.fixture
def ratings():
    """Four orders delivered 2–10 March, three rated (5, 4, 1); one rating before the window."""
    delivered = [order_row(at(MAR[1]), status="delivered", delivered_at=at(MAR[d])) for d in (2, 3, 9, 10)]
    rated(delivered[0], 5, at(MAR[3]), "Quick, thanks")
    rated(delivered[1], 4, at(MAR[4]))
    rated(delivered[2], 1, at(MAR[10]), "Box was crushed")
    early = order_row(at(date(2026, 2, 1)), status="delivered", delivered_at=at(date(2026, 2, 3)))
    rated(early, 2, at(date(2026, 2, 4)), "Late")
    rebuild(date(2026, 1, 1), date(2026, 3, 31))


def test_csat_average_distribution_and_response_rate(ratings):
    # when: 2–15 March (Monday 2nd to Sunday 15th)
    csat = customers_report(filters=window(MAR[2], MAR[15]))["csat"]

    # then: ratings 5, 4, 1; three of four delivered orders rated
    assert (csat["responses"], csat["average"]) == (3, 3.33)
    assert [d["responses"] for d in csat["distribution"]] == [1, 0, 0, 1, 1]
    assert (csat["delivered"], csat["rated"], csat["response_rate"]) == (4, 3, 0.75)


def test_trend_has_every_week_and_comments_filter_by_rating(ratings):
    report = customers_report(filters=window(MAR[2], MAR[22]), rating=1)

    assert [(w["week"], w["responses"], w["average"]) for w in report["trend"]] == [
        (MAR[2], 2, 4.5),
        (MAR[9], 1, 1.0),
        (MAR[16], 0, None),
    ]
    assert [c.comment for c in report["comments"]] == ["Box was crushed"]
    assert [c.comment for c in customers_report(filters=window(MAR[2], MAR[22]))["comments"]] == [
        "Box was crushed",
        "Quick, thanks",
    ]


def test_a_rating_late_in_the_evening_counts_on_the_shop_day(settings):
    # given a shop in New York: 03:00 UTC on 8 March is 22:00 on 7 March there
    settings.OMS_REPORT_TIME_ZONE = "America/New_York"
    order = order_row(at(MAR[1]), status="delivered", delivered_at=at(MAR[5]))
    rated(order, 3, datetime(2026, 3, 8, 3, tzinfo=UTC))
    rebuild(date(2026, 3, 1), date(2026, 3, 31))

    # then
    assert customers_report(filters=window(MAR[1], MAR[7]))["csat"]["responses"] == 1
    assert customers_report(filters=window(MAR[8], MAR[14]))["csat"]["responses"] == 0


def test_repeat_customers_have_two_orders_or_more_by_the_end_of_the_window(db):
    # given: ann ordered before and in the window, bob twice in it, cy once, dee only after it
    ann, bob, cy, dee = (customer_row() for _ in range(4))
    order_row(at(date(2026, 1, 5)), customer=ann)
    for customer, day in [(ann, 3), (bob, 4), (bob, 5), (cy, 6)]:
        order_row(at(MAR[day]), customer=customer)
    order_row(at(MAR[20]), customer=dee)
    order_row(at(MAR[21]), customer=cy)
    rebuild(date(2026, 1, 1), date(2026, 3, 31))

    # then
    assert customers_report(filters=window(MAR[1], MAR[7]))["repeat"] == {
        "customers": 3,
        "repeat": 2,
        "repeat_rate": 0.6667,
    }
