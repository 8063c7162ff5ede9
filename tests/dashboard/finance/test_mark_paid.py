"""Finance marks a bank transfer order paid from the order page: the day the funds arrived and the bank's reference.

Both are kept, in the timeline and on the payment's transaction; bad input is told beside its field and
changes nothing; the API's generic transition keeps working as before.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from oms.exceptions import InvalidInput
from orders import services
from orders.exceptions import TransitionForbidden, TransitionNotAvailable
from orders.models import Order
from payments.models import GatewayTransaction
from tests.dashboard.finance.conftest import SETTLERS
from tests.dashboard.roles import ROLES


@pytest.fixture
def waiting(order_in_state) -> Order:
    """A bank transfer order, credit approved and awaiting its funds."""
    order = order_in_state("credit_approved")
    assert order.payment_status == "awaiting_funds"
    return order


def _post(client, order, **fields):
    data = {"name": "mark_paid", **{f"paid-{k}": v for k, v in fields.items()}}
    return client.post(f"/dashboard/orders/{order.number}/transition/", data)


def _funds_tx(order) -> GatewayTransaction:
    return GatewayTransaction.objects.get(payment__order=order, idempotency_key__endswith="-funds-received")


def test_finance_marks_paid_with_the_date_and_the_bank_reference(staff_client, waiting):
    finance = staff_client("finance")
    today = timezone.localdate()

    response = _post(finance, waiting, received_on=today.isoformat(), reference="  NL-2024-88812 ")

    assert response.status_code == 302
    order = Order.objects.get(pk=waiting.pk)
    assert (order.status, order.payment_status) == ("confirmed", "captured")
    paid = order.events.get(to_status="paid")
    assert paid.note == f"Funds received {today:%d %b %Y}, bank reference NL-2024-88812."
    assert paid.actor == finance.user.username
    tx = _funds_tx(order)
    assert (tx.kind, tx.outcome, tx.amount) == ("capture", "succeeded", order.total)
    assert tx.reference == "NL-2024-88812"
    assert tx.message == f"Funds received {today:%d %b %Y}"
    page = finance.get(f"/dashboard/orders/{order.number}/", follow=True)
    assert "bank reference NL-2024-88812" in page.text


def test_an_empty_date_means_today_and_no_reference_keeps_the_payment_reference(staff_client, waiting):
    _post(staff_client("manager"), waiting, received_on="", reference="")

    order = Order.objects.get(pk=waiting.pk)
    assert order.status == "confirmed"
    assert order.events.get(to_status="paid").note == f"Funds received {timezone.localdate():%d %b %Y}."
    tx = _funds_tx(order)
    assert tx.reference == order.payments.get().gateway_reference


def test_the_form_opens_with_today(staff_client, waiting):
    page = staff_client("finance").get(f"/dashboard/orders/{waiting.number}/")

    assert "<summary>Mark paid…</summary>" in page.text
    assert f'name="paid-received_on" value="{timezone.localdate():%Y-%m-%d}"' in page.text
    assert '<label for="id_paid-reference">Bank reference</label>' in page.text


@pytest.mark.parametrize(
    ("fields", "error_id", "message"),
    [
        ({"received_on": "tomorrow"}, "id_paid-received_on-error", "The payment cannot have arrived in the future."),
        ({"received_on": "before"}, "id_paid-received_on-error", "the payment cannot have arrived before."),
        ({"received_on": "2024-02-30"}, "id_paid-received_on-error", "Enter a valid date."),
        ({"reference": "A\x07B"}, "id_paid-reference-error", "Only printable characters, on one line."),
        ({"reference": "R" * 101}, "id_paid-reference-error", "at most 100 characters"),
    ],
    ids=["future", "before-placed", "no-such-day", "control-character", "too-long"],
)
def test_bad_input_is_told_beside_the_field_and_nothing_changes(
    staff_client, waiting, order_snapshot, fields, error_id, message
):
    today = timezone.localdate()
    days = {"tomorrow": today + timedelta(days=1), "before": timezone.localdate(waiting.placed_at) - timedelta(days=1)}
    fields = {k: (days[v].isoformat() if v in days else v) for k, v in fields.items()}
    before = order_snapshot(waiting)
    transactions = GatewayTransaction.objects.count()

    response = _post(staff_client("finance"), waiting, **fields)

    assert response.status_code == 400
    assert f'id="{error_id}"' in response.text
    assert message in response.text
    assert '<details class="transition-form" id="mark-paid" open>' in response.text
    assert order_snapshot(waiting) == before
    assert GatewayTransaction.objects.count() == transactions


def test_an_order_no_longer_awaiting_funds_is_told_and_nothing_changes(staff_client, order_in_state, order_snapshot):
    order = order_in_state("confirmed")
    before = order_snapshot(order)

    response = staff_client("finance").post(
        f"/dashboard/orders/{order.number}/transition/", {"name": "mark_paid", "paid-reference": "X1"}, follow=True
    )

    assert response.status_code == 200
    assert "Cannot mark paid an order that is confirmed." in response.text
    assert order_snapshot(order) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_busy_order_says_try_again_and_nothing_changes(staff_client, waiting, order_snapshot, order_locked_elsewhere):
    # given
    before = order_snapshot(waiting)
    finance = staff_client("finance")

    # when someone else holds the order while finance marks it paid
    with order_locked_elsewhere(waiting):
        response = finance.post(f"/dashboard/orders/{waiting.number}/transition/", {"name": "mark_paid"}, follow=True)

    # then
    assert response.status_code == 200
    assert "Someone else is changing this order, try again." in response.text
    assert order_snapshot(waiting) == before


def test_the_api_transition_still_works_with_a_reason(staff_api, waiting, commit):
    finance = staff_api("finance")

    with commit():
        response = finance.post(
            f"/api/v1/orders/{waiting.number}/transitions/mark_paid/", {"reason": "Seen on statement"}, format="json"
        )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    order = Order.objects.get(pk=waiting.pk)
    assert order.events.get(to_status="paid").note == "Seen on statement"
    assert _funds_tx(order).message == "Funds received"


def test_the_service_refuses_without_permission_or_state_and_writes_nothing(waiting, order_snapshot):
    from tests.factories import StaffFactory

    before = order_snapshot(waiting)

    with pytest.raises(TransitionForbidden):
        services.order_mark_paid(order_id=waiting.pk, user=StaffFactory(role="order desk"), reference="X")
    with pytest.raises(InvalidInput) as refused:
        services.order_mark_paid(
            order_id=waiting.pk, user=StaffFactory(role="finance"), received_on=timezone.localdate() + timedelta(1)
        )

    assert refused.value.fields == {"received_on": ["The payment cannot have arrived in the future."]}
    assert order_snapshot(waiting) == before
    finance = StaffFactory(role="finance")
    services.order_mark_paid(order_id=waiting.pk, user=finance, reference="R-1")
    with pytest.raises(TransitionNotAvailable):
        services.order_mark_paid(order_id=waiting.pk, user=finance, reference="R-2")
    assert _funds_tx(waiting).reference == "R-1"


@pytest.mark.parametrize("role", ROLES)
def test_only_finance_and_managers_see_the_form_and_others_are_refused(offered_and_forced, waiting, role):
    page, _ = offered_and_forced(
        role,
        SETTLERS,
        waiting,
        page=f"/dashboard/orders/{waiting.number}/",
        marker="<summary>Mark paid…</summary>",
        force=lambda client, order: _post(
            client, order, received_on=timezone.localdate().isoformat(), reference="FORCED-1"
        ),
        happened=lambda order: GatewayTransaction.objects.filter(payment__order=order, reference="FORCED-1").exists(),
    )

    if role in SETTLERS:
        assert Order.objects.get(pk=waiting.pk).status == "confirmed"
        assert _funds_tx(waiting).reference == "FORCED-1"
    else:
        assert "Mark paid" not in page.text
