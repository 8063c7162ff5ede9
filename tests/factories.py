"""factory_boy factories for the test suite."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from inventory.models import Product, StockItem, Warehouse
from oms.authentication import storefront_create
from orders.models import Customer, TaxRate


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"WH{n}")
    name = factory.LazyAttribute(lambda o: f"Warehouse {o.code}")
    priority = factory.Sequence(lambda n: n + 1)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Faker("word")
    price = Decimal("10.00")
    weight_kg = Decimal("0.500")


class StockItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockItem

    product = factory.SubFactory(ProductFactory)
    warehouse = factory.SubFactory(WarehouseFactory)
    on_hand = 100
    reserved = 0
    bin_location = factory.Sequence(lambda n: f"A-{n:03d}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Faker("name")


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate
        django_get_or_create = ("country",)

    country = "DE"
    rate = Decimal("0.1900")


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff user; ``role`` names one of the role groups (order desk, warehouse, finance, support, manager)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


def storefront_with_key(name: str = "shop"):
    """A storefront and its plain API key."""
    return storefront_create(name=name)
