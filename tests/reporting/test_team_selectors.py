"""Team report: status changes per staff member and transition; open inquiries and time to the answer."""

from datetime import date, timedelta

import pytest

from orders.models import Inquiry
from reporting.selectors.team import team_report
from tests.factories import StaffFactory
from tests.reporting.records import at, event, order_row, window

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def asked(order, moment, *, answered_after_hours=None, by=None) -> Inquiry:
    inquiry = Inquiry.objects.create(order=order, message="Where is it?")
    answered = moment + timedelta(hours=answered_after_hours) if answered_after_hours is not None else None
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=moment, answered_at=answered, answered_by=by)
    return inquiry


def test_orders_handled_per_staff_member_and_transition(db):
    # given: alice started and shipped two orders, bob held one; the system's steps, notes and a customer's
    # cancellation do not count
    StaffFactory(username="alice"), StaffFactory(username="bob")
    first, second = order_row(at(DAY)), order_row(at(DAY))
    for order in (first, second):
        event(order, at(DAY, 9), "verified", from_status="placed")
        event(order, at(DAY, 10), "fulfilling", from_status="confirmed", actor="alice")
        event(order, at(DAY, 11), "shipped", from_status="fulfilling", actor="alice")
    event(first, at(DAY, 12), "", actor="bob", note="Internal note: called")
    event(second, at(DAY, 13), "on_hold", from_status="shipped", actor="bob")
    event(second, at(DAY - timedelta(days=1)), "cancelled", actor="bob")  # before the window
    event(first, at(DAY, 14), "cancelled", actor="customer")

    # when
    report = team_report(filters=window(DAY, DAY))

    # then
    assert report["handled"] == [
        {"actor": "alice", "transitions": {"fulfilling": 2, "shipped": 2}, "events": 4},
        {"actor": "bob", "transitions": {"on_hold": 1}, "events": 1},
    ]
    assert [code for code, _label in report["transitions"]] == ["fulfilling", "shipped", "on_hold"]


def test_open_inquiries_and_time_to_answer(db):
    # given: two questions in the window answered after 2 and 6 hours, one open, one open from before
    clerk = StaffFactory(username="carol")
    order = order_row(at(DAY))
    asked(order, at(DAY, 8), answered_after_hours=2, by=clerk)
    asked(order, at(DAY, 9), answered_after_hours=6, by=clerk)
    asked(order, at(DAY, 10))
    asked(order, at(DAY - timedelta(days=3)))

    # when
    inquiries = team_report(filters=window(DAY, DAY))["inquiries"]

    # then
    assert inquiries == {
        "open": 2,
        "asked": 3,
        "answered": 2,
        "median_hours": 4.0,
        "average_hours": 4.0,
        "by_staff": [{"answered_by__username": "carol", "answers": 2}],
    }
