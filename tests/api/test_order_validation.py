"""Bad input to ``POST /orders/``: 400 naming each bad field, never a 500, and nothing written."""

import pytest

from inventory.models import StockMovement
from oms.models import IdempotencyRecord
from orders.models import Address, Customer, Order
from payments.models import Payment


def drop(key):
    return lambda body: body.pop(key)


def set_(key, value):
    return lambda body: body.__setitem__(key, value)


def set_in(section, key, value):
    return lambda body: body[section].__setitem__(key, value)


def drop_in(section, key):
    return lambda body: body[section].pop(key)


def line(**fields):
    return lambda body: body["lines"][0].update(fields)


def add_line(**fields):
    return lambda body: body["lines"].append(fields)


# (what is wrong, how to break the body, where the error must point)
CASES = [
    ("unknown sku", line(sku="NOPE-1"), ("lines", "0", "sku")),
    ("quantity zero", line(quantity=0), ("lines", "0", "quantity")),
    ("quantity negative", line(quantity=-3), ("lines", "0", "quantity")),
    ("quantity not a number", line(quantity="abc"), ("lines", "0", "quantity")),
    ("quantity a fraction", line(quantity=1.5), ("lines", "0", "quantity")),
    ("quantity absurd", line(quantity=10**12), ("lines", "0", "quantity")),
    ("quantity missing", lambda body: body["lines"][0].pop("quantity"), ("lines", "0", "quantity")),
    ("sku missing", lambda body: body["lines"][0].pop("sku"), ("lines", "0", "sku")),
    ("sku not a string", line(sku=["MUG-1"]), ("lines", "0", "sku")),
    ("sku a number", line(sku=12345), ("lines", "0", "sku")),
    ("duplicated sku", add_line(sku="MUG-1", quantity=1), ("lines", "1", "sku")),
    ("empty lines", set_("lines", []), ("lines",)),
    ("lines a string", set_("lines", "MUG-1 x2"), ("lines",)),
    ("lines not objects", set_("lines", [1, 2]), ("lines", "0")),
    ("lines missing", drop("lines"), ("lines",)),
    ("lines null", set_("lines", None), ("lines",)),
    ("address name missing", drop_in("shipping_address", "name"), ("shipping_address", "name")),
    ("address line1 missing", drop_in("shipping_address", "line1"), ("shipping_address", "line1")),
    ("address city missing", drop_in("shipping_address", "city"), ("shipping_address", "city")),
    ("postal code missing", drop_in("shipping_address", "postal_code"), ("shipping_address", "postal_code")),
    ("country missing", drop_in("shipping_address", "country"), ("shipping_address", "country")),
    ("address city blank", set_in("shipping_address", "city", ""), ("shipping_address", "city")),
    ("country a name", set_in("shipping_address", "country", "Germany"), ("shipping_address", "country")),
    ("country with digits", set_in("shipping_address", "country", "D1"), ("shipping_address", "country")),
    ("address missing", drop("shipping_address"), ("shipping_address",)),
    ("address a string", set_("shipping_address", "1 Main St"), ("shipping_address",)),
    ("billing address incomplete", set_("billing_address", {"name": "Ann"}), ("billing_address", "line1")),
    ("unknown shipping method", set_("shipping_method", "teleport"), ("shipping_method",)),
    ("shipping method missing", drop("shipping_method"), ("shipping_method",)),
    ("shipping method not a string", set_("shipping_method", {"code": "standard"}), ("shipping_method",)),
    ("card without token", set_("payment", {"method": "card"}), ("payment", "token")),
    ("card with blank token", set_("payment", {"method": "card", "token": ""}), ("payment", "token")),
    ("unknown payment method", set_("payment", {"method": "bitcoin"}), ("payment", "method")),
    ("cash from a storefront", set_("payment", {"method": "cash"}), ("payment", "method")),
    ("payment missing", drop("payment"), ("payment",)),
    ("customer email invalid", set_in("customer", "email", "not-an-email"), ("customer", "email")),
    ("customer name missing", drop_in("customer", "name"), ("customer", "name")),
    ("customer a string", set_("customer", "ann@example.com"), ("customer",)),
    ("null character", set_("notes", "gift\x00wrap"), ("notes",)),
    ("notes too long", set_("notes", "x" * 2001), ("notes",)),
]


def error_at(body: dict, path: tuple) -> object:
    node = body
    for key in path:
        assert isinstance(node, dict) and key in node, f"no error at {'.'.join(path)}: {body}"
        node = node[key]
    return node


@pytest.fixture
def nothing_written(db):
    models = (Order, Customer, Address, Payment, StockMovement, IdempotencyRecord)

    def counts():
        return {m.__name__: m.objects.count() for m in models}

    before = counts()
    yield
    assert counts() == before


@pytest.mark.parametrize(("case", "breaks", "path"), CASES, ids=[c[0] for c in CASES])
def test_bad_field_is_named_and_nothing_is_written(case, breaks, path, api, mug, order_body, nothing_written):
    # given
    breaks(order_body)

    # when
    response = api.post("/api/v1/orders/", order_body, format="json", HTTP_IDEMPOTENCY_KEY=f"key-{case}")

    # then
    assert response.status_code == 400, response.content
    assert error_at(response.json(), path)


def test_every_bad_field_is_named_in_one_answer(api, mug, order_body, nothing_written):
    # given
    order_body["lines"] = [
        {"sku": "NOPE-1", "quantity": 1},
        {"sku": "MUG-1", "quantity": 0},
        {"sku": "MUG-1", "quantity": 1},
    ]
    order_body["shipping_address"]["country"] = "Germany"
    order_body["shipping_method"] = "teleport"
    order_body["payment"] = {"method": "card"}

    # when
    response = api.post("/api/v1/orders/", order_body, format="json")

    # then
    assert response.status_code == 400
    errors = response.json()
    assert set(errors["lines"]) == {"0", "1", "2"}
    assert "sku" in errors["lines"]["0"]
    assert "quantity" in errors["lines"]["1"]
    assert "sku" in errors["lines"]["2"]  # the duplicate
    assert error_at(errors, ("shipping_address", "country"))
    assert error_at(errors, ("shipping_method",))
    assert error_at(errors, ("payment", "token"))


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[]", b"null", b"42", b'"order"', b'{"lines": '])
def test_a_body_that_is_not_a_json_object_is_400(raw, api, mug, nothing_written):
    # when
    response = api.post("/api/v1/orders/", raw, content_type="application/json")

    # then
    assert response.status_code == 400
    assert response.json()


def test_a_form_encoded_body_is_400_naming_the_missing_fields(api, mug, nothing_written):
    # when
    response = api.post("/api/v1/orders/", {"lines": "MUG-1"})

    # then
    assert response.status_code == 400
    assert {"customer", "lines", "shipping_address", "shipping_method", "payment"} <= set(response.json())


def test_an_inactive_product_cannot_be_ordered(api, mug, order_body, nothing_written):
    # given
    mug.is_active = False
    mug.save()

    # when
    response = api.post("/api/v1/orders/", order_body, format="json")

    # then
    assert response.status_code == 400
    assert error_at(response.json(), ("lines", "0", "sku"))
