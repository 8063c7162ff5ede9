"""Who may open a return, for what: delivered orders within the window, at most what was shipped and not
returned yet, returnable products, the policy's reasons; auto-authorization by reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, OrderLine
from returns.exceptions import InvalidReturn, ReturnNotAllowed
from returns.models import ReturnRequest
from tests.factories import return_request_open


def _snapshot(order):
    return (
        list(OrderLine.objects.filter(order=order).values_list("quantity_returned", flat=True)),
        ReturnRequest.objects.filter(order=order).count(),
        Order.objects.get(pk=order.pk).returns_open,
        order.events.count(),
    )


def test_a_return_commits_its_quantities_and_opens_on_the_order(delivered_order):
    # given
    order = delivered_order(3)

    # when
    created = return_request_open(order, lines=[("MUG-1", 2, "no_longer_needed")])

    # then
    assert created.number == f"R-{order.number}-1"
    assert created.status == "requested"
    assert created.lines.get().quantity == 2
    assert order.lines.get().quantity_returned == 2
    assert Order.objects.get(pk=order.pk).returns_open == 1
    assert created.events.get().to_status == "requested"
    assert order.events.filter(note__startswith=f"Return {created.number} requested").exists()


def test_the_second_return_of_an_order_gets_the_next_number(delivered_order):
    order = delivered_order(3)
    return_request_open(order)
    assert return_request_open(order).number == f"R-{order.number}-2"


@pytest.mark.parametrize("state", ["confirmed", "in_transit", "completed"])
def test_an_order_not_delivered_takes_no_return(state, order_in_state, mug):
    # given
    order = order_in_state(state, lines=[("MUG-1", 1)])
    before = _snapshot(order)

    # when / then
    with pytest.raises(ReturnNotAllowed):
        return_request_open(order, lines=[("MUG-1", 1, "damaged")])
    assert _snapshot(order) == before


def test_no_return_after_the_window(delivered_order, settings):
    # given
    settings.OMS_RETURN_WINDOW_DAYS = 30
    order = delivered_order(1)
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=31))
    before = _snapshot(order)

    # when / then
    with pytest.raises(ReturnNotAllowed, match="return window"):
        return_request_open(order, lines=[("MUG-1", 1, "damaged")])
    assert _snapshot(order) == before


def test_more_than_may_still_be_returned_is_refused_naming_the_line(delivered_order):
    # given
    order = delivered_order(3)
    return_request_open(order, lines=[("MUG-1", 2, "no_longer_needed")])
    before = _snapshot(order)

    # when / then
    with pytest.raises(InvalidReturn) as refused:
        return_request_open(order, lines=[("MUG-1", 2, "no_longer_needed")])
    assert refused.value.fields == {"lines": {"0": {"quantity": ["At most 1 of MUG-1 may still be returned."]}}}
    assert _snapshot(order) == before


def test_a_product_that_is_not_returnable_is_refused(delivered_order, mug):
    # given
    order = delivered_order(1)
    mug.returnable = False
    mug.save(update_fields=["returnable"])

    # when / then
    with pytest.raises(InvalidReturn) as refused:
        return_request_open(order, lines=[("MUG-1", 1, "no_longer_needed")])
    assert refused.value.fields["lines"]["0"]["sku"] == ["MUG-1 cannot be returned."]


@pytest.mark.parametrize(
    "lines, field",
    [
        ([("NOPE", 1, "damaged")], "sku"),
        ([("MUG-1", 1, "bored")], "reason"),
        ([("MUG-1", 0, "damaged")], "quantity"),
        ([("MUG-1", 1, "damaged"), ("mug-1", 1, "other")], "sku"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(lines, field, delivered_order):
    order = delivered_order(3)
    with pytest.raises(InvalidReturn) as refused:
        return_request_open(order, lines=lines)
    assert field in refused.value.fields["lines"][str(len(lines) - 1)]
    assert ReturnRequest.objects.count() == 0


def test_an_exchange_needs_replacement_lines_and_a_refund_takes_none(delivered_order):
    order = delivered_order(2)
    with pytest.raises(InvalidReturn) as no_lines:
        return_request_open(order, resolution="exchange")
    with pytest.raises(InvalidReturn) as extra:
        return_request_open(order, exchange_lines=[("MUG-1", 1)])
    assert "exchange_lines" in no_lines.value.fields and "exchange_lines" in extra.value.fields


def test_an_exchange_keeps_what_the_customer_wants_instead(delivered_order):
    order = delivered_order(2)
    created = return_request_open(order, resolution="exchange", exchange_lines=[("MUG-1", 1)])
    assert list(created.exchange_lines.values_list("sku", "quantity")) == [("MUG-1", 1)]


def test_reasons_the_policy_names_are_authorized_at_once(delivered_order, settings, commit):
    # given
    settings.OMS_RETURN_AUTO_AUTHORIZE_REASONS = ["damaged"]
    order = delivered_order(2)

    # when
    with commit():
        automatic = return_request_open(order, lines=[("MUG-1", 1, "damaged")])
    manual = return_request_open(order, lines=[("MUG-1", 1, "no_longer_needed")])

    # then
    automatic.refresh_from_db()
    assert automatic.status == "authorized"
    assert automatic.label_tracking_number.startswith("DMO")
    assert automatic.shipping_paid_by == "merchant"
    assert (manual.status, manual.shipping_paid_by) == ("requested", "customer")


@pytest.mark.parametrize("ending", ["rejected", "cancelled"])
def test_a_rejected_or_cancelled_return_gives_its_quantities_back(ending, return_in_state, delivered_order):
    # given
    order = delivered_order(2)

    # when
    return_in_state(ending, order=order, quantity=2)

    # then
    assert order.lines.get().quantity_returned == 0
    assert Order.objects.get(pk=order.pk).returns_open == 0
    assert return_request_open(order, lines=[("MUG-1", 2, "other")]).status == "requested"


def test_a_received_return_can_no_longer_be_cancelled(return_in_state):
    from returns.exceptions import ReturnTransitionNotAvailable
    from returns.services import return_cancel

    created = return_in_state("received")
    with pytest.raises(ReturnTransitionNotAvailable):
        return_cancel(return_request=created)
    assert ReturnRequest.objects.get(pk=created.pk).status == "received"


def test_the_returnless_policy_marks_small_returns(delivered_order, settings):
    settings.OMS_RETURNLESS_MAX_VALUE = "20"
    order = delivered_order(3)
    assert return_request_open(order, lines=[("MUG-1", 1, "other")]).returnless is True
    assert return_request_open(order, lines=[("MUG-1", 2, "other")]).returnless is False
