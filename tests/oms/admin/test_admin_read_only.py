"""Even a superuser cannot change stock, money or status in the admin: those go through the services.

Each test submits the change form the way the admin shows it, with one protected value changed and one
ordinary field changed: the ordinary one is saved, the protected one is not.
"""

from decimal import Decimal

import pytest

from inventory.models import Product, StockItem
from orders.models import Customer
from payments.models import Payment
from shipping.models import ShippingMethod
from tests.factories import CustomerFactory, ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory


@pytest.fixture
def superuser_client(client, db):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def shown_form(response) -> dict:
    """What the browser sends back for the change form as shown: each editable field with its value."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def submit(client, url: str, **changes):
    shown = client.get(url)
    assert shown.status_code == 200
    response = client.post(url, {**shown_form(shown), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_credit_terms_stay_as_they_are(superuser_client):
    customer = CustomerFactory(name="Ann", payment_terms="prepaid", credit_limit=Decimal("0"))

    submit(
        superuser_client,
        f"/admin/orders/customer/{customer.pk}/change/",
        name="Ann Example",
        payment_terms="on_account",
        credit_limit="50000",
    )

    customer = Customer.objects.get(pk=customer.pk)
    assert customer.name == "Ann Example"
    assert (customer.payment_terms, customer.credit_limit) == ("prepaid", Decimal("0"))


def test_a_price_stays_as_it_is(superuser_client):
    product = ProductFactory(name="Mug", price=Decimal("12.50"))

    submit(superuser_client, f"/admin/inventory/product/{product.pk}/change/", name="Big mug", price="0.01")

    product = Product.objects.get(pk=product.pk)
    assert product.name == "Big mug" and product.price == Decimal("12.50")


def test_a_stock_row_keeps_its_quantities_product_and_warehouse(superuser_client):
    item = StockItemFactory(on_hand=40, reserved=5, bin_location="A-01")
    placed = (item.product_id, item.warehouse_id)
    other_product, other_warehouse = ProductFactory(), WarehouseFactory()

    submit(
        superuser_client,
        f"/admin/inventory/stockitem/{item.pk}/change/",
        bin_location="B-07",
        on_hand="999",
        reserved="0",
        product=str(other_product.pk),
        warehouse=str(other_warehouse.pk),
    )

    item = StockItem.objects.get(pk=item.pk)
    assert item.bin_location == "B-07"
    assert (item.on_hand, item.reserved, item.product_id, item.warehouse_id) == (40, 5, *placed)


def test_stock_on_a_product_page_stays_as_it_is(superuser_client):
    item = StockItemFactory(on_hand=40, reserved=5)
    warehouse_id, other_warehouse = item.warehouse_id, WarehouseFactory()

    submit(
        superuser_client,
        f"/admin/inventory/product/{item.product_id}/change/",
        **{"stock_items-0-on_hand": "999", "stock_items-0-warehouse": str(other_warehouse.pk)},
    )

    item = StockItem.objects.get(pk=item.pk)
    assert (item.on_hand, item.reserved, item.warehouse_id) == (40, 5, warehouse_id)


@pytest.mark.parametrize(
    ("page", "fields"),
    [
        ("orders/customer", {"payment_terms", "credit_limit"}),
        ("inventory/product", {"price"}),
        ("inventory/stockitem", {"product", "warehouse", "on_hand", "reserved"}),
        ("orders/order", {"status", "total", "subtotal", "amount_captured", "payment_status"}),
        ("payments/payment", {"status", "amount", "captured_amount", "refunded_amount"}),
        ("shipping/shipment", {"status", "tracking_number", "order"}),
        ("shipping/shippingmethod", {"flat_fee", "per_kg"}),
    ],
)
def test_money_stock_and_status_are_not_form_fields(superuser_client, order_in_state, page, fields):
    # given: one row of each kind
    order = order_in_state("shipped")
    StockItemFactory()
    CustomerFactory()
    model = {
        "orders/customer": order.customer,
        "inventory/product": order.lines.first().product,
        "inventory/stockitem": StockItem.objects.first(),
        "orders/order": order,
        "payments/payment": Payment.objects.get(order=order),
        "shipping/shipment": order.shipments.first(),
        "shipping/shippingmethod": ShippingMethod.objects.first(),
    }[page]

    # when
    response = superuser_client.get(f"/admin/{page}/{model.pk}/change/")

    # then: shown, but not editable
    assert response.status_code == 200
    assert not fields & set(response.context["adminform"].form.fields)
