"""Customer emails: each kind once per order, with what the customer needs and a working link."""

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
