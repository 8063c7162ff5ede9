import pytest

from tests.payments.fake_stripe import SECRET_KEY, FakeStripe

WEBHOOK_SECRET = "whsec_fake"


@pytest.fixture
def stripe(settings):
    """A fake Stripe on 127.0.0.1; cards go through the Stripe gateway, configured as in production."""
    with FakeStripe() as fake:
        settings.OMS_CARD_GATEWAY = "stripe"
        settings.OMS_STRIPE_BASE_URL = fake.url
        settings.OMS_STRIPE_SECRET_KEY = SECRET_KEY
        settings.OMS_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        yield fake
