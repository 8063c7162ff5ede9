"""A real HTTP receiver on 127.0.0.1 (``http.server`` in a thread) and a storefront subscribed to it."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.oms.tasks.conftest import broker, start_worker  # noqa: F401 - a real worker, for test_worker_killed
from webhooks.events import EVENT_TYPES


class Receiver:
    """Records every POST (headers and raw body); answers the next status in ``answers`` (then 200)."""

    def __init__(self):
        self.received: list[dict] = []
        self.held: list[bytes] = []  # bodies of requests stopped at the gate
        self.answers: list[int] = []
        self.delay = 0.0  # seconds to wait before answering (a slow receiver)
        # Set: the next request waits (at most 30 s) until the test sets this event, and later ones do not.
        self.gate: threading.Event | None = None
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.delay:
                    time.sleep(receiver.delay)
                gate, receiver.gate = receiver.gate, None
                if gate is not None:
                    with receiver.lock:
                        receiver.held.append(body)
                    gate.wait(30)
                with receiver.lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.received.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body, "status": status}
                    )
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/oms"

    def payloads(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.received]

    def delivered(self) -> list[dict]:
        """The payloads the receiver took (answered 2xx)."""
        return [json.loads(r["body"]) for r in self.received if 200 <= r["status"] < 300]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def allow_private(settings):
    settings.OMS_WEBHOOK_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def subscribe(allow_private, storefront, receiver):
    """``subscribe(events=..., storefront=..., url=...)``: a subscription made through the service."""
    from webhooks.services import webhook_subscription_create

    def make(*, events=EVENT_TYPES, url=None, **kwargs):
        return webhook_subscription_create(
            storefront=kwargs.get("storefront", storefront), url=url or receiver.url, events=list(events)
        )

    return make
