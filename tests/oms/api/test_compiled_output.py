"""Output serializers rendered through ``oms.rendering.CompiledOutput`` answer exactly what DRF's own rendering
answers: orders in every resting state, for storefronts and staff, and the corner cases of DRF's field lookup."""

import pytest
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from oms.rendering import CompiledOutput
from orders.api import serializers as s
from orders.models import Order


def _drf(serializer_class, instance):
    """The same serializer rendered by DRF's own ``Serializer.to_representation``, all the way down."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CompiledOutput, "to_representation", serializers.Serializer.to_representation)
        return serializer_class().to_representation(instance)


@pytest.mark.parametrize("state", ["credit_approved", "confirmed", "on_hold", "shipped", "delivered", "cancelled"])
@pytest.mark.parametrize(
    "output", [s.OrderOutput, s.StaffOrderOutput, s.OrderDetailOutput, s.StorefrontOrderDetailOutput]
)
def test_an_order_renders_as_drf_renders_it(order_in_state, state, output):
    order = order_in_state(state, billing_address=None) if state == "confirmed" else order_in_state(state)
    order = Order.objects.get(pk=order.pk)
    ours = output().to_representation(order)
    assert ours == _drf(output, order)
    assert ours["number"] == order.number and ours["status"] == state


class _Thing:
    name = "a name"
    missing_relation_message = "gone"

    @property
    def related(self):
        raise ObjectDoesNotExist("no related row")

    def shout(self):
        return "HELLO"


class _Edges(CompiledOutput, serializers.Serializer):
    name = serializers.CharField()
    related = serializers.CharField()
    shout = serializers.CharField()
    absent_default = serializers.CharField(default="fallback")
    absent_null = serializers.CharField(allow_null=True)
    absent_optional = serializers.CharField(required=False)
    nested = serializers.CharField(source="inner.value")
    whole = serializers.SerializerMethodField()

    def get_whole(self, thing):
        return type(thing).__name__


def test_the_corner_cases_of_drfs_lookup_render_the_same():
    thing = _Thing()
    thing.inner = {"value": "from a mapping"}
    ours = _Edges().to_representation(thing)
    assert ours == serializers.Serializer.to_representation(_Edges(), thing)
    assert ours == {
        "name": "a name",
        "related": None,
        "shout": "HELLO",
        "absent_default": "fallback",
        "absent_null": None,
        "nested": "from a mapping",
        "whole": "_Thing",
    }


def test_a_required_attribute_that_is_missing_fails_as_in_drf():
    class Strict(CompiledOutput, serializers.Serializer):
        nowhere = serializers.CharField()

    with pytest.raises(AttributeError, match="Got AttributeError when attempting to get a value for field `nowhere`"):
        Strict().to_representation(_Thing())
