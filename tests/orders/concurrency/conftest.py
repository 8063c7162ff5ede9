"""Real parallel clients against the live server, and the checks every concurrency test makes.

The live server (``live_server``) answers each connection in its own thread with its own database
connection, so requests sent at the same moment run as concurrent PostgreSQL transactions.
"""

from collections.abc import Callable

import pytest
import requests
from django.db.models import Sum

from inventory.models import StockItem
from orders.models import LineAllocation


@pytest.fixture(autouse=True)
def _postgres_only(postgres_only):
    """Row locks and real concurrency are only meaningful (and only promised) on PostgreSQL."""


@pytest.fixture
def http(live_server) -> Callable[..., Callable[[], requests.Response]]:
    """``http(method, path, auth=..., json=...)``: a call that sends that request to the live server on a
    session of its own."""

    def request(method: str, path: str, *, auth: str, json: dict | None = None) -> Callable[[], requests.Response]:
        def call() -> requests.Response:
            with requests.Session() as session:
                session.trust_env = False  # 127.0.0.1 only: no proxy from the environment
                return session.request(
                    method, f"{live_server.url}{path}", json=json, headers={"Authorization": auth}, timeout=60
                )

        return call

    return request


@pytest.fixture
def assert_stock_consistent() -> Callable[[], None]:
    """Every stock row equals the sum of its ledger, stays within 0 <= reserved <= on hand, and its
    reserved count equals what the open line allocations hold."""
    return _assert_stock_consistent


def _assert_stock_consistent() -> None:
    for item in StockItem.objects.order_by("pk"):
        ledger = item.movements.aggregate(on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))
        allocated = LineAllocation.objects.filter(stock_item=item, is_released=False, is_shipped=False).aggregate(
            total=Sum("quantity")
        )["total"]
        assert (item.on_hand, item.reserved) == (ledger["on_hand"] or 0, ledger["reserved"] or 0), item
        assert 0 <= item.reserved <= item.on_hand, item
        assert item.reserved == (allocated or 0), item
