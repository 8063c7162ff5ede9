"""A placement body in its plain form is read without DRF's fields, into exactly the validated data DRF gives;
every other body (errors included) goes through the serializer. Checked against DRF on generated bodies."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from orders.api.serializers import OrderCreateInput, _order_create_plain, order_create_validated, validated
from orders.models import Channel
from tests.conftest import ORDER_BODY

pytestmark = pytest.mark.django_db

ABSENT = object()


def _drf(body):
    try:
        return validated(OrderCreateInput, copy.deepcopy(body))
    except ValidationError:
        return None


def _texts(max_length):
    return st.sampled_from(
        ["x", "", " x", "x ", "Ann Example", "a" * max_length, "a" * (max_length + 1), "nul\x00", "s\ud800", 3, 2.5]
        + [True, None, [], {}, ABSENT]
    )


def _with(base: dict, changes: dict) -> dict:
    body = dict(base)
    for key, value in changes.items():
        if value is ABSENT:
            body.pop(key, None)
        else:
            body[key] = value
    return body


address = st.builds(
    _with,
    st.just(ORDER_BODY["shipping_address"]),
    st.fixed_dictionaries(
        {},
        optional={
            "name": _texts(200),
            "line1": _texts(200),
            "line2": _texts(200),
            "city": _texts(100),
            "region": _texts(100),
            "postal_code": _texts(20),
            "country": st.sampled_from(["DE", "de", "dE", "D", "DEU", "D1", " DE", "ÄÖ", "", None, 49, ABSENT]),
        },
    ),
)
line = st.fixed_dictionaries(
    {},
    optional={
        "sku": _texts(64),
        "quantity": st.sampled_from([1, 2, 0, -1, 10_000, 10_001, "2", 2.0, True, None, ABSENT]),
        "extra": st.just("ignored"),
    },
).map(lambda changes: _with({"sku": "MUG-1", "quantity": 1}, changes))
bodies = st.fixed_dictionaries(
    {},
    optional={
        "customer": st.fixed_dictionaries(
            {},
            optional={
                "email": st.sampled_from(
                    ["ann@example.com", "ANN@Example.COM", "bad@", "no-at", " ann@example.com", "", None, ABSENT]
                ),
                "name": _texts(200),
                "phone": _texts(40),
            },
        ).map(lambda changes: _with(ORDER_BODY["customer"], changes)),
        "lines": st.one_of(st.lists(line, max_size=3), st.sampled_from([None, "MUG-1", {}, ABSENT])),
        "shipping_address": st.one_of(address, st.sampled_from([None, "1 Main St", ABSENT])),
        "billing_address": st.one_of(address, st.sampled_from([None, "x", {}, ABSENT])),
        "shipping_method": _texts(30),
        "payment": st.fixed_dictionaries(
            {},
            optional={
                "method": st.sampled_from(["card", "bank_transfer", "on_account", "cash", "cheque", "", None, ABSENT]),
                "token": _texts(100),
            },
        ).map(lambda changes: _with(ORDER_BODY["payment"], changes)),
        "notes": _texts(2000),
        "channel": st.sampled_from(["web", "phone", "email", "pos", "import", "fax", "", None, 1, ABSENT]),
        "ship_partial": st.sampled_from([True, False, None, "true", 1, 0, ABSENT]),
        "unknown": st.just("ignored"),
    },
).map(lambda changes: _with(ORDER_BODY, changes))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_a_body_read_plainly_gives_what_drf_gives_and_only_drf_reads_the_rest(body):
    plain = _order_create_plain(copy.deepcopy(body))
    if plain is not None:
        assert plain == _drf(body)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"billing_address": {**ORDER_BODY["shipping_address"], "country": "fr", "region": "", "line2": "Apt 2"}},
        {"channel": "phone", "ship_partial": False, "notes": "Leave at the door"},
        {"payment": {"method": "bank_transfer"}, "lines": [{"sku": "MUG-1", "quantity": 10_000}] * 3},
    ],
    ids=["minimal", "billing address", "channel and options", "transfer, many units"],
)
def test_an_ordinary_body_is_read_plainly_into_drfs_validated_data(changes):
    body = {**ORDER_BODY, **changes}
    plain = _order_create_plain(copy.deepcopy(body))
    assert plain is not None
    assert plain == _drf(body)
    assert plain["channel"] == body.get("channel", Channel.WEB)


def test_a_body_with_an_error_gets_drfs_answer():
    body = {**ORDER_BODY, "lines": [{"sku": "MUG-1", "quantity": "many"}]}
    with pytest.raises(ValidationError) as raised:
        order_create_validated(body)
    assert "quantity" in str(raised.value.detail["lines"])
