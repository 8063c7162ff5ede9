"""Staff pages say things one way: dates as "1 Dec 2026" / "1 Dec 2026 14:05", counts in proper plurals, and
staff by their full name on the timeline as everywhere else on the page."""

import re

from django.utils import timezone

from tests.dashboard.orders.test_edit_details import form_data

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_one_change_is_saved_as_one_change(desk, order_in_state):
    order = order_in_state("confirmed")

    response = desk.post(f"/dashboard/orders/{order.number}/edit/", form_data(order, notes="Ring twice"), follow=True)

    assert "Saved 1 change." in response.text


def test_the_timeline_names_staff_by_full_name(staff_client, order_in_state):
    # given
    dana = staff_client("order desk", username="desk", first_name="Dana", last_name="Desk")
    order = order_in_state("confirmed")
    dana.post(f"/dashboard/orders/{order.number}/transition/", {"name": "start_fulfillment"})

    # when
    text = dana.get(f"/dashboard/orders/{order.number}/").text

    # then
    timeline = text.split('id="timeline-title"')[1].split("</section>")[0]
    assert "<strong>Dana Desk</strong>" in timeline
    assert "<strong>desk</strong>" not in timeline


def test_staff_pages_write_dates_one_way(staff_client, order_in_state):
    # given
    manager = staff_client("manager")
    order = order_in_state("shipped")
    today = timezone.localdate()
    pages = [
        "/dashboard/",
        "/dashboard/orders/",
        f"/dashboard/orders/{order.number}/",
        f"/dashboard/customers/{order.customer_id}/",
        "/dashboard/customers/",
        "/dashboard/fulfillment/",
    ]

    for url in pages:
        # when
        text = visible_text(manager.get(url).text)

        # then
        assert not ISO_DATE.search(text), (url, ISO_DATE.search(text))
        assert not re.search(r"\b0\d [A-Z][a-z]{2} \d{4}\b", text), url
    assert f"{today.day} {today:%b %Y}" in visible_text(manager.get(f"/dashboard/orders/{order.number}/").text)
