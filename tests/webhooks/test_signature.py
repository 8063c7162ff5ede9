"""The receiver example in README "Webhooks" verifies real deliveries, and refuses altered or stale ones."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from oms.signatures import timestamped_sign
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _readme_verify():
    """The ``verify`` function of the README's receiver example, run as a reader would copy it."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme[readme.index("## Webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - our own README
    return namespace["verify"]


def test_the_readme_receiver_verifies_a_delivery(commit, mug, storefront, subscribe, receiver):
    verify = _readme_verify()
    subscription = subscribe(events=["order.created"])
    with commit():
        order = OrderFactory(lines=[("MUG-1", 1)], storefront_id=storefront.pk)
    (request,) = receiver.received
    header = request["headers"]["X-OMS-Signature"]

    event = verify(subscription.secret, header, request["body"])

    assert event["type"] == "order.created" and event["data"]["order"]["number"] == order.number
    with pytest.raises(ValueError):
        verify(subscription.secret, header, request["body"].replace(b"order.created", b"order.cancelled"))
    with pytest.raises(ValueError):
        verify("whsec_someone-else", header, request["body"])


def test_the_readme_receiver_refuses_a_stale_signature():
    verify = _readme_verify()
    body = b'{"id": "evt_1"}'

    with pytest.raises(ValueError):
        verify("whsec_x", timestamped_sign(secret="whsec_x", body=body, timestamp=int(time.time()) - 3600), body)
    assert verify("whsec_x", timestamped_sign(secret="whsec_x", body=body), body) == {"id": "evt_1"}
