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


# --- Orders placed through the service ------------------------------------------------------------------
from orders.services import AddressInput, PlacementInput, order_place  # noqa: E402


class AddressInputFactory(factory.Factory):
    class Meta:
        model = AddressInput

    name = factory.Faker("name")
    line1 = "1 Main St"
    city = "Berlin"
    postal_code = "10115"
    country = "DE"


class OrderFactory(factory.Factory):
    """An order placed through ``order_place``, so it has lines, reservations, a payment and its events.

    Placement runs verification and the credit check at once; payment and confirmation run after commit,
    so create it inside ``commit()`` for a confirmed order. ``lines`` are (sku, quantity) pairs; the default
    is one unit of a new product stocked in warehouse MAIN.
    """

    class Meta:
        model = PlacementInput

    customer_email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    customer_name = factory.Faker("name")
    lines = factory.LazyFunction(lambda: [(StockItemFactory(warehouse=WarehouseFactory(code="MAIN")).product.sku, 1)])
    shipping_address = factory.SubFactory(AddressInputFactory)
    shipping_method = "standard"
    payment_method = "card"
    payment_token = "tok_ok"
    storefront_id = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return order_place(data=model_class(*args, **kwargs), actor="test")


def return_request_open(order, *, lines=None, resolution: str = "refund", exchange_lines=(), user=None, **fields):
    """A return opened through ``return_request_create`` on a delivered ``order``; ``lines`` are
    (sku, quantity, reason) triples, default: one unit of the order's first line, no longer needed."""
    from returns.services import return_request_create

    if lines is None:
        first = order.lines.order_by("pk").first()
        lines = [(first.sku, 1, "no_longer_needed")]
    return return_request_create(
        order=order,
        lines=[{"sku": sku, "quantity": quantity, "reason": reason} for sku, quantity, reason in lines],
        resolution=resolution,
        exchange_lines=[{"sku": sku, "quantity": quantity} for sku, quantity in exchange_lines],
        user=user,
        **fields,
    )
