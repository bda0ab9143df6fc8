"""A fake Zalo OA Open API and OAuth server on 127.0.0.1 (real HTTP, own thread).

The gateway's OA client is pointed at :attr:`FakeZaloOA.url` through both
``TROLY_ZALO_OA_API_BASE_URL`` and ``TROLY_ZALO_OA_OAUTH_BASE_URL``. Like Zalo, it answers
application errors with HTTP 200 and a non-zero ``error``: −216 for an access token it does
not know (see :meth:`expire_access_token`), and a refusal for a refresh token used twice.
:func:`signed_event` builds a webhook delivery signed the way Zalo signs it.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from channels.zalo_oa.signature import signature_header

APP_ID = "1234567890123456789"
OA_ID = "9876543210987654321"
APP_SECRET = "fake-app-secret-key"
OA_SECRET_KEY = "fake-oa-secret-key"


@dataclass(frozen=True)
class OACall:
    """One request as received (path, headers with lower-case names, parsed body) and the
    fake's answer."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    answer: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.answer.get("error", 0) == 0 and "error_name" not in self.answer


def signed_event(
    user_id: str,
    text: str | None = "cach kich hoat vneid",
    *,
    event_name: str = "user_send_text",
    msg_id: str | None = None,
    timestamp_ms: int | None = None,
    app_id: str = APP_ID,
    secret: str = OA_SECRET_KEY,
    message: dict[str, Any] | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A webhook body and its headers, signed with ``secret`` (``X-ZEvent-Signature``)."""
    stamp = str(int(time.time() * 1000) if timestamp_ms is None else timestamp_ms)
    body_message = message if message is not None else {
        "text": text, "msg_id": msg_id or uuid.uuid4().hex}
    payload = {
        "app_id": app_id,
        "user_id_by_app": "5566778899",
        "event_name": event_name,
        "sender": {"id": user_id},
        "recipient": {"id": OA_ID},
        "message": body_message,
        "timestamp": stamp,
    }
    raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return raw, {
        "Content-Type": "application/json",
        "X-ZEvent-Signature": signature_header(app_id, raw, stamp, secret),
    }


class FakeZaloOA:
    """Start with ``with FakeZaloOA() as oa:``; inspect :attr:`calls` and :meth:`texts`."""

    def __init__(self, port: int = 0) -> None:
        self.app_id = APP_ID
        self.app_secret = APP_SECRET
        self.calls: list[OACall] = []
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.issued: list[str] = []  # every token ever issued, expired or not
        # user id → error code the next send to that user gets (e.g. a closed reply window)
        self.send_errors: dict[str, int] = {}
        self.refresh_delay = 0.0
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

    def start(self) -> FakeZaloOA:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeZaloOA:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ tokens

    def issue_tokens(self) -> tuple[str, str]:
        """A new valid access/refresh pair (what the OA admin's authorisation gives)."""
        access, refresh = "AT-" + secrets.token_urlsafe(24), "RT-" + secrets.token_urlsafe(24)
        with self._lock:
            self.access_tokens.add(access)
            self.refresh_tokens.add(refresh)
            self.issued += [access, refresh]
        return access, refresh

    def expire_access_token(self) -> None:
        """Every access token issued so far is now refused with −216."""
        with self._lock:
            self.access_tokens.clear()

    # ------------------------------------------------------------------ queries

    def calls_to(self, path: str) -> list[OACall]:
        with self._lock:
            return [c for c in self.calls if c.path == path]

    def sends(self, user_id: str | None = None) -> list[OACall]:
        """Accepted and refused customer-service sends (to ``user_id``), in order."""
        return [c for c in self.calls_to("/v3.0/oa/message/cs")
                if user_id is None or c.body.get("recipient", {}).get("user_id") == user_id]

    def texts(self, user_id: str | None = None) -> list[str]:
        """Texts of the sends that were accepted (to ``user_id``)."""
        return [c.body["message"]["text"] for c in self.sends(user_id) if c.ok]

    def wait_for(self, predicate: Callable[[list[OACall]], bool],
                 timeout: float = 10.0) -> list[OACall]:
        """Blocks until ``predicate(calls)`` holds; returns the calls (raises on timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self.calls)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"fake Zalo OA: condition not met; calls={self.calls}")
                self._changed.wait(remaining)
            return list(self.calls)

    # ------------------------------------------------------------------ serving

    def _answer(self, call: OACall) -> dict[str, Any]:
        if call.path == "/v4/oa/access_token":
            return self._refresh(call)
        token = call.headers.get("access_token", "")
        with self._lock:
            valid = token in self.access_tokens
        if not valid:
            return {"error": -216, "message": "Access token is invalid"}
        if call.path == "/v3.0/oa/message/cs":
            user = str(call.body.get("recipient", {}).get("user_id", ""))
            code = self.send_errors.pop(user, 0)
            if code:
                return {"error": code, "message": "User has not interacted with the OA"}
            return {"error": 0, "message": "Success",
                    "data": {"message_id": uuid.uuid4().hex, "user_id": user}}
        if call.path == "/v2.0/oa/getoa":
            return {"error": 0, "message": "Success",
                    "data": {"oa_id": OA_ID, "name": "Công an tỉnh (thử nghiệm)"}}
        return {"error": -404, "message": "Not found"}

    def _refresh(self, call: OACall) -> dict[str, Any]:
        if self.refresh_delay:
            time.sleep(self.refresh_delay)
        body = call.body
        with self._lock:
            usable = body.get("refresh_token") in self.refresh_tokens
            if (call.headers.get("secret_key") != self.app_secret
                    or body.get("app_id") != self.app_id
                    or body.get("grant_type") != "refresh_token" or not usable):
                return {"error": -14014, "error_name": "Invalid refresh token",
                        "error_description": "refresh token is invalid or already used"}
            self.refresh_tokens.discard(body["refresh_token"])  # single-use
        access, refresh = self.issue_tokens()
        return {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}

    def _record(self, call: OACall) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body: dict[str, Any]
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or b"{}")
                else:
                    body = {k: v[-1] for k, v in
                            parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
                request = OACall(self.command, self.path.split("?")[0],
                                 {k.lower(): v for k, v in self.headers.items()}, body, {})
                answer = fake._answer(request)
                call = OACall(request.method, request.path, request.headers, body, answer)
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                fake._record(call)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
