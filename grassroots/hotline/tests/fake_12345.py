"""A local 12345 platform that speaks docs/hotline-12345.md: it takes signed work orders (the same number for a
replay of the same idempotency key), answers polls, and calls back with a signed answer. Tests start it in a thread.
"""

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from grassroots.hotline import connector


@dataclass
class Platform:
    secret: str
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # by idempotency key
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # by external number
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every request
    # What the next POSTs get, one entry each, before the platform behaves: a status (500) or "slow".
    failures: list[Any] = field(default_factory=list)
    slow_seconds: float = 2.0
    url: str = ""

    def number_of(self, key: str) -> str:
        return str(self.orders[key]["external_number"])

    def answer(self, number: str, text: str, by: str = "区住建局") -> None:
        self.answers[number] = {"status": "answered", "answer": text, "answered_by": by}

    def call_back(self, base_url: str, number: str) -> tuple[int, Any]:
        """POST the answer of `number` to our side's endpoint, signed, as the real platform would."""
        key = next(k for k, o in self.orders.items() if o["external_number"] == number)
        body = json.dumps(
            {"idempotency_key": key, "external_number": number, **self.answers[number]}, ensure_ascii=False
        ).encode()
        request = urllib.request.Request(
            base_url + "/api/v1/hotline/answers",
            data=body,
            method="POST",
            headers=connector.signed_headers(self.secret, body),
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


def _handler(platform: Platform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _signed(self, body: bytes) -> bool:
            return connector.signature_valid(
                platform.secret,
                self.headers.get(connector.TIMESTAMP_HEADER, ""),
                self.headers.get(connector.SIGNATURE_HEADER, ""),
                body,
            )

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            platform.requests.append(("POST", self.path))
            if platform.failures:
                failure = platform.failures.pop(0)
                if failure == "slow":
                    time.sleep(platform.slow_seconds)
                    return self._reply(200, {"external_number": "too-late"})
                return self._reply(int(failure), {"code": "unavailable"})
            if self.path != "/work-orders":
                return self._reply(404, {"code": "not_found"})
            if not self._signed(body):
                return self._reply(401, {"code": "bad_signature"})
            order = json.loads(body)
            key = self.headers.get(connector.KEY_HEADER) or order["idempotency_key"]
            if key not in platform.orders:  # a replay gets the order it already has
                order["external_number"] = f"12345-2026-{len(platform.orders) + 1:06d}"
                platform.orders[key] = order
            return self._reply(200, {"external_number": platform.number_of(key)})

        def do_GET(self) -> None:
            platform.requests.append(("GET", self.path))
            if not self._signed(b""):
                return self._reply(401, {"code": "bad_signature"})
            number = self.path.rsplit("/", 1)[-1]
            if number in platform.answers:
                return self._reply(200, {"external_number": number, **platform.answers[number]})
            if any(o["external_number"] == number for o in platform.orders.values()):
                return self._reply(200, {"external_number": number, "status": "accepted"})
            return self._reply(404, {"code": "not_found"})

    return Handler


@contextmanager
def running(secret: str) -> Iterator[Platform]:
    platform = Platform(secret=secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(platform))
    platform.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()
