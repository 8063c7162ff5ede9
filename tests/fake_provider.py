"""A remote provider's API faked by a real HTTP server on 127.0.0.1, in a thread: the adapters under test
speak HTTP to it exactly as to the provider, nothing in them is patched.

Subclasses route ``(method, path, headers, body)`` to ``(status, json body)``; every request is kept in
``requests`` for the test to read; ``fail_next`` makes the next answers a given status (e.g. 503) without
acting, and ``lose_answer_to`` (path endings) acts on the next such request but answers 503, as a network
that drops the answer.
"""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


class FakeProvider:
    def __init__(self):
        self.requests: list[SeenRequest] = []
        self.fail_next: list[int] = []
        self.lose_answer_to: set[str] = set()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                self._answer("POST")

            def do_GET(self):  # noqa: N802
                self._answer("GET")

            def _answer(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                seen = SeenRequest(method, self.path, dict(self.headers), self.rfile.read(length))
                with fake._lock:
                    fake.requests.append(seen)
                    if fake.fail_next:
                        status, answer = fake.fail_next.pop(0), {"error": {"message": "unavailable"}}
                    else:
                        status, answer = fake.handle(seen)
                        if any(seen.path.endswith(end) for end in fake.lose_answer_to):
                            fake.lose_answer_to.clear()
                            status, answer = 503, {"error": {"message": "answer lost"}}
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, request: SeenRequest) -> tuple[int, dict]:
        raise NotImplementedError

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
