"""Rate shopping at pack & ship: every active carrier and service quoted for the parcels, the cheapest that
still keeps the delivery promise chosen by default, the chosen rate recorded on the shipments."""

from datetime import date
from decimal import Decimal

from orders.models import LineAllocation
from shipping.carriers import ShipAddress
from shipping.models import Shipment, ShippingMethod
from shipping.services import rates_shop

MONDAY = date(2026, 3, 2)
TO = ShipAddress(name="Ann", street1="1 Main St", city="Denver", state="CO", zip="80202", country="US")


def shop(promised_by: date):
    return rates_shop(
        methods=list(ShippingMethod.objects.filter(code__in=["standard", "express", "ep"])),
        weights_kg=[Decimal("1"), Decimal("2")],
        to_address=TO,
        promised_by=promised_by,
        ship_on=MONDAY,
    )


def test_the_default_is_the_cheapest_that_keeps_the_promise(easypost, easypost_method):
    # when: delivery was promised for Wednesday (two business days)
    result = shop(promised_by=date(2026, 3, 4))

    # then: every rate, cheapest first, summed over both parcels; USPS First and Standard are late
    assert [(o.key, o.price, o.delivery_date, o.meets_promise) for o in result.options] == [
        ("standard", Decimal("11.40"), date(2026, 3, 6), False),
        ("ep:USPS:First", Decimal("18.59"), date(2026, 3, 5), False),
        ("ep:USPS:Priority", Decimal("20.29"), date(2026, 3, 4), True),
        ("express", Decimal("32.90"), date(2026, 3, 3), True),
        ("ep:UPS:NextDayAir", Decimal("69.18"), date(2026, 3, 3), True),
    ]
    assert result.default.key == "ep:USPS:Priority"
    assert result.problems == []


def test_when_nothing_keeps_the_promise_the_fastest_is_the_default(easypost, easypost_method):
    result = shop(promised_by=MONDAY)
    assert result.default.key == "express"  # one day, like NextDayAir, and cheaper


def test_a_carrier_that_cannot_quote_is_named_and_the_others_still_offered(easypost, easypost_method):
    # given
    easypost.fail_next = [503]

    # when
    result = shop(promised_by=date(2026, 3, 4))

    # then
    assert [o.key for o in result.options] == ["standard", "express"]
    assert result.default.key == "express"
    assert len(result.problems) == 1 and result.problems[0].startswith("EasyPost: no quote")


def test_packing_with_a_chosen_rate_records_it_and_buys_that_service(
    easypost, easypost_method, order_in_state, mug, staff_client, commit
):
    # given: an order being packed; the page offers EasyPost's services beside the demo methods
    order = order_in_state("fulfilling", lines=[("MUG-1", 2)])
    client = staff_client("warehouse")
    page = client.get(f"/dashboard/orders/{order.number}/pack/")
    offered = {o.key: o for o in page.context["shop"].options}
    assert {"standard", "express", "ep:USPS:First", "ep:USPS:Priority", "ep:UPS:NextDayAir"} <= set(offered)
    assert page.context["shop"].default.key == "standard"  # 0.8 kg: 5.35, cheapest and on time
    assert 'value="standard" required\n             checked>' in page.text
    allocation = LineAllocation.objects.get(line__order=order)

    # when: the packer picks USPS Priority
    with commit():
        response = client.post(
            f"/dashboard/orders/{order.number}/pack/",
            {
                f"parcels-{allocation.warehouse_id}": "1",
                f"packed-{allocation.pk}": "on",
                f"p-{allocation.warehouse_id}-1-{allocation.pk}": "2",
                f"p-{allocation.warehouse_id}-1-weight": "0.8",
                "service": "ep:USPS:Priority",
                "ship": "1",
            },
        )

    # then
    assert response.status_code == 302
    shipment = Shipment.objects.get(order=order)
    chosen = offered["ep:USPS:Priority"]
    assert (shipment.carrier, shipment.service, shipment.carrier_service) == ("easypost", "ep", "USPS:Priority")
    assert (shipment.rate_amount, shipment.rate_currency) == (chosen.price, "USD")
    assert shipment.estimated_delivery_date == chosen.delivery_date
    assert [s["selected_rate"]["service"] for s in easypost.bought()] == ["Priority"]
    assert shipment.tracking_number == easypost.bought()[0]["tracking_code"]
    assert order.events.filter(note__contains="EasyPost · USPS Priority at USD").exists()
