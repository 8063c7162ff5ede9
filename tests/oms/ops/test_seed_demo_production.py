"""seed_demo refuses to run with DEBUG off (production) unless it is told so with --force."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from inventory.models import Product
from oms.models import Storefront
from orders.models import Customer


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--orders", "0", "--customers", "4", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_with_debug_off_it_refuses_and_writes_nothing(settings):
    # given: a production setup
    settings.DEBUG = False

    # when
    with pytest.raises(CommandError) as refused:
        seed()

    # then: the message says why and how to go ahead anyway, and nothing was made
    assert "DEBUG is off" in str(refused.value) and "--force" in str(refused.value)
    assert not User.objects.exists()
    assert not Product.objects.exists() and not Customer.objects.exists() and not Storefront.objects.exists()


@pytest.mark.django_db
def test_with_debug_off_if_empty_refuses_too(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--if-empty", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_with_debug_off_force_seeds(settings, reference_data):
    # given: a production setup
    settings.DEBUG = False

    # when
    out = seed("--force")

    # then
    assert "Demo data ready" in out
    assert User.objects.filter(username="desk", is_staff=True).exists()
    assert Customer.objects.count() == 4
