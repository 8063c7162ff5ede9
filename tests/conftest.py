import copy

import pytest
from rest_framework.test import APIClient

from tests.factories import ProductFactory, StaffFactory, StockItemFactory, WarehouseFactory, storefront_with_key

ORDER_BODY = {
    "customer": {"email": "ann@example.com", "name": "Ann Example", "phone": "+49 30 1234"},
    "lines": [{"sku": "MUG-1", "quantity": 2}],
    "shipping_address": {
        "name": "Ann Example",
        "line1": "1 Main St",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
    },
    "shipping_method": "standard",
    "payment": {"method": "card", "token": "tok_ok"},
}


@pytest.fixture(autouse=True)
def _tasks_inline(settings):
    """Tests run queued work in-process after commit, unless a test starts a real worker. A message handed to a
    broker is marked dispatched at once (tests/oms/tasks/test_outbox_marks.py tests the marking thread)."""
    settings.OMS_TASKS_INLINE = True
    settings.OMS_OUTBOX_MARK_SECONDS = 0


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): ...`` runs what would happen after the transaction commits (the outbox relay)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def warehouse(db):
    return WarehouseFactory(code="MAIN", priority=1)


@pytest.fixture
def mug(warehouse):
    product = ProductFactory(sku="MUG-1", name="Mug", price="12.50", weight_kg="0.400")
    StockItemFactory(product=product, warehouse=warehouse, on_hand=50)
    return product


@pytest.fixture
def storefront(db):
    storefront, key = storefront_with_key("shop")
    storefront.key = key
    return storefront


@pytest.fixture
def api(storefront):
    """An API client authenticated as the storefront."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {storefront.key}")
    return client


@pytest.fixture
def order_body():
    return copy.deepcopy(ORDER_BODY)


@pytest.fixture
def staff_api(db):
    """``staff_api(role)``: an API client with a token for a staff user in that role (None: no role)."""

    def make(role: str | None = "manager"):
        from oms.authentication import staff_token_create

        user = StaffFactory(role=role)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {staff_token_create(user=user)[1]}")
        client.user = user
        return client

    return make


# --- Order lifecycle helpers ---------------------------------------------------------------------------
import json  # noqa: E402

from django.conf import settings as django_settings  # noqa: E402


@pytest.fixture
def post_webhook(client):
    """``post_webhook(payload)``: a carrier webhook signed like the demo carrier signs it.

    ``signature=`` sets the header as given (None leaves it out), ``timestamp=`` signs with another time.
    """
    from shipping.carriers import sign

    def post(payload, *, carrier="demo", timestamp=None, secret=None, signature=...):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        if signature is ...:
            signature = sign(
                secret=secret or django_settings.DEMO_CARRIER_WEBHOOK_SECRET, body=body, timestamp=timestamp
            )
        headers = {} if signature is None else {"HTTP_X_OMS_SIGNATURE": signature}
        return client.post(
            f"/api/v1/shipping/webhooks/{carrier}/", data=body, content_type="application/json", **headers
        )

    return post


@pytest.fixture
def carrier_event():
    """``carrier_event(order, status)``: the demo carrier reports ``status`` for every parcel of the order."""
    from orders import services

    def report(order, status: str, **fields):
        for shipment in order.shipments.all():
            services.order_tracking_event(
                carrier="demo",
                payload={
                    "event_id": f"{shipment.pk}-{status}",
                    "tracking_number": shipment.tracking_number,
                    "status": status,
                    **fields,
                },
            )

    return report


@pytest.fixture
def order_in_state(db, commit, warehouse, carrier_event):
    """``order_in_state("shipped", **order_fields)``: an order taken to that state by the real services.

    Resting states only: credit_approved (a bank transfer awaiting funds), confirmed, on_hold (held from
    confirmed), fulfilling, shipped, in_transit, delivered, completed, cancelled.
    """
    from orders import services
    from tests.factories import OrderFactory

    clerk = StaffFactory(role="manager", username="clerk")
    steps = {
        "fulfilling": ["start_fulfillment"],
        "shipped": ["start_fulfillment", "ship"],
        "in_transit": ["start_fulfillment", "ship", "in_transit"],
        "delivered": ["start_fulfillment", "ship", "in_transit", "delivered"],
        "completed": ["start_fulfillment", "ship", "in_transit", "delivered", "complete"],
        "cancelled": ["cancel"],
        "on_hold": ["hold"],
        "confirmed": [],
        "credit_approved": [],
    }

    def make(state: str, **fields):
        if state == "credit_approved":
            fields.setdefault("payment_method", "bank_transfer")
            fields.setdefault("payment_token", "")
        with commit():
            order = OrderFactory(**fields)
        for step in steps[state]:
            with commit():
                if step in ("in_transit", "delivered"):
                    carrier_event(order, step)
                else:
                    reason = "fraud_review" if step == "hold" else ""
                    services.order_transition(order_id=order.pk, name=step, user=clerk, reason=reason)
        order.refresh_from_db()
        assert order.status == state, f"could not bring an order to {state}: it is {order.status}"
        return order

    return make


@pytest.fixture
def declined_order(commit, warehouse):
    """``declined_order(token="tok_decline", **order_fields)``: a card order on hold because its payment failed."""

    from orders.models import Order
    from tests.factories import OrderFactory

    def make(token: str = "tok_decline", **fields) -> Order:
        with commit():
            order = OrderFactory(payment_token=token, **fields)
        order = Order.objects.get(pk=order.pk)
        assert (order.status, order.hold_reason) == ("on_hold", "payment_failed"), order.status
        return order

    return make


@pytest.fixture
def order_snapshot():
    """``order_snapshot(order)``: everything a refused action must leave as it was."""
    from inventory.models import StockItem, StockMovement
    from orders.models import Order

    def snapshot(order) -> dict:
        fresh = Order.objects.get(pk=order.pk)
        return {
            "status": fresh.status,
            "hold_reason": fresh.hold_reason,
            "held_from": fresh.held_from,
            "updated_at": fresh.updated_at,
            "payment": (fresh.payment_status, fresh.amount_authorized, fresh.amount_captured, fresh.amount_refunded),
            "events": list(fresh.events.values_list("pk", flat=True)),
            "payments": list(fresh.payments.values_list("status", "captured_amount", "refunded_amount")),
            "shipments": list(fresh.shipments.values_list("pk", "status")),
            "stock": list(StockItem.objects.order_by("pk").values_list("pk", "on_hand", "reserved")),
            "movements": StockMovement.objects.count(),
            "allocations": list(
                fresh.lines.values_list("allocations__pk", "allocations__is_released", "allocations__is_shipped")
            ),
        }

    return snapshot


@pytest.fixture
def fast_password_hashing(settings):
    """Hash staff passwords with a cheap hasher: production-strength PBKDF2 costs ~0.3 s per staff user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def lifecycle_setup(request, fast_password_hashing):
    """Autoused by every test.

    Cheap password hashing, and for database tests the migrations' reference rows (shipping methods, role
    groups), restored only if a flushing ``transaction=True`` test ran first and removed them.
    """
    database = next((name for name in ("transactional_db", "db") if name in request.fixturenames), None)
    if database is None:
        return
    request.getfixturevalue(database)
    from django.contrib.auth.models import Group

    from shipping.models import ShippingMethod

    if not (ShippingMethod.objects.filter(code="standard").exists() and Group.objects.filter(name="manager").exists()):
        request.getfixturevalue("reference_data")


@pytest.fixture
def reference_data(db):
    """The rows the data migrations create (shipping methods, staff roles), made sure to be there.

    A ``transaction=True`` test empties every table when it ends, so the next one finds no shipping
    method and no role group unless it asks for this fixture.
    """
    import importlib

    from django.apps import apps

    from dashboard.roles import roles_sync

    importlib.import_module("shipping.migrations.0002_default_methods").forwards(apps, None)
    roles_sync()


# --- Dashboard and browser tests -----------------------------------------------------------------------
import os  # noqa: E402
from pathlib import Path  # noqa: E402

# Playwright's sync API runs an event loop in the test thread; Django would then refuse database calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = next(
    (
        p
        for p in (os.environ.get("OMS_CHROMIUM", ""), "/usr/lib/chromium/chromium", "/usr/bin/chromium")
        if p and Path(p).exists()
    ),
    "/usr/bin/chromium",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Where screenshots of the pages go, for a person to look at after the run.
SCREENSHOT_DIR = (
    Path(os.environ.get("OMS_TEST_OUTPUT", Path(__file__).resolve().parent.parent / "test-output")) / "screenshots"
)


@pytest.fixture
def staff_client(db, client, fast_password_hashing):
    """``staff_client(role)``: the test client signed in as a new staff user in that role (None: no role)."""

    def make(role: str | None = "manager", **fields):
        user = StaffFactory(role=role, **fields)
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright (never ``playwright install``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) at laptop size; ``page.set_viewport_size`` for other widths."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: save the whole page as test-output/screenshots/<name>.png."""

    def shoot(tab, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture
def browser_login(live_server):
    """``browser_login(page, user)``: sign in through the dashboard's login form (password of StaffFactory)."""

    def login(tab, user, password: str = "correct-horse-battery"):
        tab.goto(f"{live_server.url}/dashboard/login/")
        tab.get_by_label("Username").fill(user.username)
        tab.get_by_label("Password").fill(password)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(f"{live_server.url}/dashboard/**")
        return tab

    return login


@pytest.fixture
def fresh_cache():
    """An empty cache before and after the test (look-up rate limits are counted there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def link():
    """``link(order, name="order")``: the site path of a portal page of the order, under a fresh signed token."""
    from portal.links import tracking_path

    return lambda order, name="order": tracking_path(order.number, name)


# --- Real concurrency (PostgreSQL) ----------------------------------------------------------------------
import threading  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402


@pytest.fixture
def postgres_only():
    """Skip on SQLite: row locks and real concurrency are only meaningful (and only promised) on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (row locks, concurrent transactions); the test database is {connection.vendor}")


@pytest.fixture
def parallel() -> Callable[..., list]:
    """``parallel([f, g, ...], catch=(SomeError,))`` runs each call in its own thread, all released at once.

    Returns the results in order; an exception of a type in ``catch`` is returned in place of its result.
    A thread that touches the database gets its own connection, closed when the thread ends.
    """
    from django.db import connection

    def run(calls: list[Callable], *, catch: tuple[type[BaseException], ...] = ()) -> list:
        barrier = threading.Barrier(len(calls))

        def one(call: Callable):
            try:
                barrier.wait(timeout=30)
                return call()
            except catch as exc:
                return exc
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(one, calls))

    return run


@pytest.fixture
def order_locked_elsewhere(postgres_only) -> Callable:
    """``with order_locked_elsewhere(order): ...``: meanwhile another connection holds the order's row lock.

    The holder is a thread with its own connection, in a transaction that ``select_for_update``s the row and
    waits until the block ends; a request made inside the block meets the lock as a second person would.
    Needs a test with ``django_db(transaction=True)`` so that the holder sees the committed order.
    """
    from contextlib import contextmanager

    from django.db import connection, transaction

    from orders.models import Order

    @contextmanager
    def hold(order):
        locked, release = threading.Event(), threading.Event()

        def holder():
            try:
                with transaction.atomic():
                    Order.objects.select_for_update().get(pk=order.pk)
                    locked.set()
                    release.wait(timeout=30)
            finally:
                connection.close()

        thread = threading.Thread(target=holder)
        thread.start()
        try:
            assert locked.wait(timeout=10), "the other connection did not get the order's lock"
            yield
        finally:
            release.set()
            thread.join(timeout=10)

    return hold
