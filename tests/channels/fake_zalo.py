"""A fake Zalo Bot API on 127.0.0.1 (real HTTP, own thread) that records every call.

The gateway's python-zalo-bot client is pointed at :attr:`FakeZaloServer.url` through
``TROLY_ZALO_API_BASE_URL``; calls arrive as ``POST /bot<token>/<method>`` with form-encoded
(what the library sends) or JSON parameters.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class ZaloCall:
    """One Bot API call as received."""

    method: str
    token: str
    params: dict[str, Any]


class FakeZaloServer:
    """Start with ``with FakeZaloServer() as zalo:``; inspect :attr:`calls`."""

    def __init__(self, token: str = "1234567890:fake-zalo-token", port: int = 0) -> None:
        self.token = token
        self.calls: list[ZaloCall] = []
        self.failing_methods: set[str] = set()
        self.webhook: dict[str, Any] = {"url": "", "updated_at": 0}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeZaloServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeZaloServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ queries

    def calls_to(self, method: str, chat_id: str | None = None) -> list[ZaloCall]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def texts(self, chat_id: str | None = None) -> list[str]:
        """Texts sent with sendMessage (to ``chat_id``), in order."""
        return [c.params.get("text", "") for c in self.calls_to("sendMessage", chat_id)]

    def wait_for(
        self, predicate: Callable[[list[ZaloCall]], bool], timeout: float = 10.0
    ) -> list[ZaloCall]:
        """Blocks until ``predicate(calls)`` holds; returns the calls (raises on timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self.calls)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"fake Zalo server: condition not met; calls={self.calls}")
                self._changed.wait(remaining)
            return list(self.calls)

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    # ------------------------------------------------------------------ serving

    def _record(self, call: ZaloCall) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _answer(self, call: ZaloCall) -> tuple[int, dict[str, Any]]:
        if call.token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if call.method in self.failing_methods:
            return 500, {"ok": False, "error_code": 500, "description": "Internal error"}
        now = int(time.time() * 1000)
        if call.method in ("sendMessage", "sendPhoto", "sendSticker"):
            return 200, {"ok": True, "result": {"message_id": uuid.uuid4().hex, "date": now}}
        if call.method == "sendChatAction":
            return 200, {"ok": True, "result": {}}
        if call.method == "setWebhook":
            self.webhook = {"url": call.params.get("url", ""), "updated_at": now}
            return 200, {"ok": True, "result": dict(self.webhook)}
        if call.method == "deleteWebhook":
            self.webhook = {"url": "", "updated_at": now}
            return 200, {"ok": True, "result": dict(self.webhook)}
        if call.method == "getWebhookInfo":
            return 200, {"ok": True, "result": dict(self.webhook)}
        if call.method == "getMe":
            return 200, {"ok": True, "result": {"id": "bot-1", "account_name": "tro_ly_06"}}
        return 404, {"ok": False, "error_code": 404, "description": "Not found"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                parts = self.path.split("?")[0].strip("/").split("/")
                token = parts[0][3:] if parts and parts[0].startswith("bot") else ""
                method = parts[1] if len(parts) > 1 else ""
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params: dict[str, Any]
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or b"{}")
                else:
                    params = {
                        k: v[-1]
                        for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()
                    }
                call = ZaloCall(method=method, token=token, params=params)
                status, body = fake._answer(call)
                fake._record(call)
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
