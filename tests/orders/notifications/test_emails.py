"""Customer emails: what each kind says, with a working signed link; confirmation and shipped in detail."""

import re

import pytest
from django.conf import settings

from orders.models import Notification, Order, TaxRate
from orders.tasks import send_order_email_task
from tests.factories import ProductFactory, StockItemFactory


@pytest.fixture
def confirmed(api, mug, order_body, commit):
    TaxRate.objects.create(country="DE", rate="0.1900")
    bowl = ProductFactory(sku="BOWL-2", name="Soup bowl", price="7.25")
    StockItemFactory(product=bowl, warehouse=mug.stock_items.get().warehouse)
    order_body["lines"].append({"sku": "BOWL-2", "quantity": 3})
    with commit():
        response = api.post("/api/v1/orders/", order_body, format="json")
    return Order.objects.get(number=response.json()["number"])


def link_in(text: str) -> str:
    return re.search(re.escape(settings.SITE_URL) + r"(/track/o/[^/\s\"]+/)", text).group(1)


def test_confirmation_is_sent_once_even_if_its_task_runs_again(confirmed, mailoutbox):
    # given the confirmation went out after placement
    assert len(mailoutbox) == 1

    # when the task is delivered twice more
    send_order_email_task.apply(kwargs={"order_id": confirmed.pk, "kind": "confirmation"})
    send_order_email_task.apply(kwargs={"order_id": confirmed.pk, "kind": "confirmation"})

    # then
    assert len(mailoutbox) == 1
    assert Notification.objects.get(order=confirmed, kind="confirmation").sent_at is not None
    assert confirmed.events.filter(note="Emailed the customer: confirmation").count() == 1


def test_a_task_applied_twice_sends_one_email(db, mug, mailoutbox):
    # given an order whose confirmation has not been sent
    from tests.factories import OrderFactory

    order = OrderFactory(lines=[("MUG-1", 1)])

    # when
    first = send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": "confirmation"})
    second = send_order_email_task.apply(kwargs={"order_id": order.pk, "kind": "confirmation"})

    # then
    assert first.successful() and second.successful()
    assert len(mailoutbox) == 1


def test_confirmation_has_number_lines_totals_delivery_date_and_link(confirmed, mailoutbox):
    # when
    [mail] = mailoutbox
    html = mail.alternatives[0][0]

    # then
    assert mail.to == ["ann@example.com"]
    assert mail.subject == f"Order {confirmed.number} confirmed"
    for body in (mail.body, html):
        assert confirmed.number in body
        assert "Mug" in body and "MUG-1" in body and "25.00" in body
        assert "Soup bowl" in body and "BOWL-2" in body and "21.75" in body
        for amount in (confirmed.subtotal, confirmed.shipping_total, confirmed.tax_total, confirmed.total):
            assert str(amount) in body
        assert confirmed.estimated_delivery_date.strftime("%A") in body
        assert f"{confirmed.estimated_delivery_date:%B} {confirmed.estimated_delivery_date:%Y}" in body
        assert link_in(body)
    assert confirmed.tax_total > 0


def test_the_tracking_link_opens_the_order_page(confirmed, client, mailoutbox):
    # given
    path = link_in(mailoutbox[0].body)

    # when
    response = client.get(path)

    # then
    assert response.status_code == 200
    assert confirmed.number in response.content.decode()
    assert "Mug" in response.content.decode()


@pytest.mark.parametrize("tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "OTHER1234" + t[8:]])
def test_a_tampered_link_shows_a_friendly_404(tamper, confirmed, client, mailoutbox):
    # given
    token = link_in(mailoutbox[0].body).split("/")[-2]

    # when
    response = client.get(f"/track/o/{tamper(token)}/")

    # then
    assert response.status_code == 404
    page = response.content.decode()
    assert "This link does not work any more" in page
    assert confirmed.number not in page


def test_shipped_email_names_the_tracking_numbers(order_in_state, mailoutbox):
    # when
    order = order_in_state("shipped")

    # then
    mail = mailoutbox[-1]
    assert mail.subject == f"Order {order.number} has shipped"
    assert order.shipments.get().tracking_number in mail.body
    assert link_in(mail.body)


def test_each_kind_goes_out_once_over_a_whole_lifecycle(order_in_state, mailoutbox):
    # when
    order = order_in_state("completed")

    # then
    assert [m.subject for m in mailoutbox] == [
        f"Order {order.number} confirmed",
        f"Order {order.number} has shipped",
        f"Order {order.number} was delivered",
    ]


# --- the kinds added with the portal ----------------------------------------------------------------------
from orders.services import order_email_send, order_transition  # noqa: E402
from tests.factories import OrderFactory, StaffFactory  # noqa: E402


def both_parts(mail) -> list[str]:
    return [mail.body, mail.alternatives[0][0]]


def test_out_for_delivery_email_names_the_parcel_and_links_the_order(order_in_state, carrier_event, mailoutbox, commit):
    # given
    order = order_in_state("in_transit")
    sent = len(mailoutbox)

    # when
    with commit():
        carrier_event(order, "out_for_delivery")

    # then
    [mail] = mailoutbox[sent:]
    assert mail.subject == f"Order {order.number} is out for delivery today"
    for body in both_parts(mail):
        assert order.shipments.get().tracking_number in body
        assert link_in(body)


def test_delivered_email_links_straight_to_the_rating(order_in_state, mailoutbox, client):
    # when
    order = order_in_state("delivered")

    # then
    mail = mailoutbox[-1]
    assert mail.subject == f"Order {order.number} was delivered"
    for body in both_parts(mail):
        assert re.search(re.escape(settings.SITE_URL) + r"/track/o/[^/\s\"]+/#rate", body)
        assert "Rate your order" in body
    page = client.get(link_in(mail.body)).content.decode()
    assert 'id="rate"' in page and "How was your order?" in page


def test_a_declined_payment_asks_the_customer_to_get_in_touch(warehouse, mailoutbox, commit):
    # when
    with commit():
        order = OrderFactory(payment_token="tok_decline")

    # then
    [mail] = mailoutbox
    assert mail.subject == f"Order {order.number} is on hold: we need your help"
    for body in both_parts(mail):
        assert "Your payment did not go through".lower() in body.lower()
        assert "Please contact us" in body
        assert link_in(body)
    assert "#ask" in mail.body


@pytest.mark.parametrize(
    ("reason", "emailed"),
    [
        ("address_problem", True),
        ("payment_failed", True),
        ("credit", True),
        ("fraud_review", False),
        ("out_of_stock", False),
        ("customer_request", False),
        ("other", False),
    ],
)
def test_staff_holds_email_only_what_the_customer_can_fix(reason, emailed, order_in_state, mailoutbox, commit):
    # given
    order = order_in_state("confirmed")
    sent = len(mailoutbox)

    # when
    with commit():
        order_transition(
            order_id=order.pk, name="hold", user=StaffFactory(role="manager"), reason="", hold_reason=reason
        )

    # then
    subjects = [m.subject for m in mailoutbox[sent:]]
    assert subjects == ([f"Order {order.number} is on hold: we need your help"] if emailed else [])


def test_the_address_problem_email_asks_for_the_address(order_in_state, mailoutbox, commit):
    # given
    order = order_in_state("confirmed")

    # when
    with commit():
        order_transition(
            order_id=order.pk, name="hold", user=StaffFactory(role="manager"), hold_reason="address_problem"
        )

    # then
    assert "send us the full, correct delivery address" in mailoutbox[-1].body


def test_an_on_hold_email_released_before_it_went_out_is_not_sent(order_in_state, mailoutbox):
    # given: held for a reason the customer can fix, then released before the task ran
    order = order_in_state("confirmed")
    manager = StaffFactory(role="manager")
    order_transition(order_id=order.pk, name="hold", user=manager, hold_reason="address_problem")
    order_transition(order_id=order.pk, name="release", user=manager)
    sent = len(mailoutbox)

    # when
    assert order_email_send(order_id=order.pk, kind="on_hold") is False

    # then
    assert len(mailoutbox) == sent


def test_the_cancelled_email_lists_what_was_cancelled(order_in_state, mailoutbox):
    # when
    order = order_in_state("cancelled")

    # then
    mail = mailoutbox[-1]
    assert mail.subject == f"Order {order.number} was cancelled"
    line = order.lines.get()
    for body in both_parts(mail):
        assert line.name in body and str(order.total) in body and link_in(body)


def test_plain_text_is_not_html_escaped(order_in_state, mailoutbox):
    # when
    order = order_in_state("confirmed", customer_name="Ann O'Brien & Co")

    # then
    mail = mailoutbox[-1]
    assert "Hello Ann O'Brien & Co," in mail.body
    assert "O&#x27;Brien &amp; Co" in mail.alternatives[0][0]
    assert order.number in mail.body


def test_an_unknown_kind_is_refused(order_in_state):
    order = order_in_state("confirmed")

    for kind in ("birthday", "inquiry_reply", "inquiry_reply:x", "confirmation:1"):
        with pytest.raises(ValueError):
            order_email_send(order_id=order.pk, kind=kind)
