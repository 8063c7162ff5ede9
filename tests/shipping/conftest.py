import pytest

from tests.shipping.fake_easypost import API_KEY, FakeEasyPost

WEBHOOK_SECRET = "ez-webhook-secret"


@pytest.fixture
def easypost(settings):
    """A fake EasyPost on 127.0.0.1 that the EasyPost adapter is pointed at (settings as in production)."""
    with FakeEasyPost() as fake:
        settings.OMS_EASYPOST_BASE_URL = f"{fake.url}/v2"
        settings.OMS_EASYPOST_API_KEY = API_KEY
        settings.OMS_EASYPOST_WEBHOOK_SECRET = WEBHOOK_SECRET
        yield fake


@pytest.fixture
def easypost_method(db):
    """A shipping method whose carrier is EasyPost (every service it quotes)."""
    from shipping.models import ShippingMethod

    return ShippingMethod.objects.create(
        code="ep", name="EasyPost", carrier="easypost", flat_fee="5.00", per_kg="0", transit_days=2, priority=50
    )
