"""Home: today's figures and the work queues, each shown to the roles that act on it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Inquiry, Order
from tests.dashboard.roles import GIVEN, QUEUES, ROLES


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_queues_it_acts_on(staff_client, role):
    text = staff_client(role).get("/dashboard/").text

    for queue, title in QUEUES.items():
        assert (f">{title} <span" in text) == (queue in GIVEN[role].queues), queue


def test_figures_and_queues_have_the_orders(desk, order_in_state, post_webhook):
    confirmed = order_in_state("confirmed")
    express = order_in_state("confirmed", shipping_method="express")
    held = order_in_state("on_hold")
    late = order_in_state("fulfilling")
    Order.objects.filter(pk=late.pk).update(promised_ship_date=timezone.localdate() - timedelta(days=2))
    Inquiry.objects.create(order=held, message="Any news on my order?")

    response = desk.get("/dashboard/")

    figures = response.context["figures"]
    assert figures["placed"] == 4 and figures["on_hold"] == 1 and figures["shipped"] == 0
    assert figures["revenue"] == sum(o.total for o in (confirmed, express, held, late))
    queues = response.context["queues"]
    assert [o.number for o in queues["ready"]["rows"]] == [express.number, confirmed.number]
    assert queues["on_hold"]["reasons"] == [{"code": "fraud_review", "label": "Fraud review", "count": 1}]
    assert [o.number for o in queues["overdue"]["rows"]] == [late.number]
    assert queues["inquiry"]["count"] == 1 and "Any news on my order?" in response.text


def test_carrier_exception_queue(desk, order_in_state, post_webhook):
    order = order_in_state("shipped")
    shipment = order.shipments.get()
    post_webhook({"event_id": "x1", "tracking_number": shipment.tracking_number, "status": "exception"})

    queues = desk.get("/dashboard/").context["queues"]

    assert [o.number for o in queues["exception"]["rows"]] == [order.number]


def test_empty_queues_say_so(desk, db):
    text = desk.get("/dashboard/").text

    assert "Nothing waiting for the warehouse." in text and "No order is on hold." in text
