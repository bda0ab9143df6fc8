"""The Zalo OA Open API over httpx: customer-service text messages, token refresh, OA info.

Zalo answers most application errors with HTTP 200 and a non-zero ``error`` in the body, so
every call reads the body, not only the status. The access token goes in an ``access_token``
header (never in a URL, which httpx logs); the refresh call sends the app secret in a
``secret_key`` header and the single-use refresh token in a form body.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx

from oa_tokens import TokenPair

SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"
OA_INFO_PATH = "/v2.0/oa/getoa"
# "access token invalid or expired": refresh it and send once more
ACCESS_TOKEN_INVALID = -216
# Zalo's documents give the refresh token three months; the refresh answer does not say
REFRESH_TOKEN_DAYS = 90
DEFAULT_ACCESS_SECONDS = 25 * 3600


class OAError(RuntimeError):
    """A failed OA API call: Zalo's error code when it gave one (None: network, bad body)."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(f"{code}: {message}" if code is not None else message)
        self.code = code


@dataclass(frozen=True)
class SendResult:
    """What Zalo said about one message: ``error`` 0 means sent."""

    error: int
    message: str
    message_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.error == 0


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return default


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise OAError(None, f"HTTP {response.status_code}, body is not JSON") from exc
    if not isinstance(body, dict):
        raise OAError(None, f"HTTP {response.status_code}, unexpected body")
    return body


class OAClient:
    """Calls to the OA API (``api_base``) and to Zalo's OAuth server (``oauth_base``)."""

    def __init__(
        self, http: httpx.AsyncClient, api_base: str, oauth_base: str, timeout: float = 15.0
    ) -> None:
        self._http = http
        self.api_base = api_base.rstrip("/")
        self.oauth_base = oauth_base.rstrip("/")
        self._timeout = timeout

    async def send_text(self, access_token: str, user_id: str, text: str) -> SendResult:
        """One customer-service text to ``user_id``; a network failure raises OAError."""
        try:
            response = await self._http.post(
                self.api_base + SEND_PATH,
                headers={"access_token": access_token},
                json={"recipient": {"user_id": user_id}, "message": {"text": text}},
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise OAError(None, f"send failed: {type(exc).__name__}") from exc
        body = _json(response)
        error = _int(body.get("error"), -1 if response.status_code != 200 else 0)
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        message_id = data.get("message_id") if isinstance(data.get("message_id"), str) else None
        return SendResult(error, str(body.get("message") or ""), message_id)

    async def refresh(
        self, app_id: str, app_secret: str, refresh_token: str, now: dt.datetime | None = None
    ) -> TokenPair:
        """A new access token and the new refresh token that replaces ``refresh_token``."""
        try:
            response = await self._http.post(
                self.oauth_base + REFRESH_PATH,
                headers={"secret_key": app_secret},
                data={
                    "refresh_token": refresh_token,
                    "app_id": app_id,
                    "grant_type": "refresh_token",
                },
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise OAError(None, f"token refresh failed: {type(exc).__name__}") from exc
        body = _json(response)
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not isinstance(access, str) or not access or not isinstance(refresh, str):
            code = body.get("error")
            reason = body.get("error_description") or body.get("error_name") or body.get(
                "message") or f"HTTP {response.status_code}"
            raise OAError(_int(code, -1) if code is not None else None,
                          f"token refresh refused: {str(reason)[:200]}")
        moment = now or dt.datetime.now(dt.timezone.utc)
        seconds = _int(body.get("expires_in"), DEFAULT_ACCESS_SECONDS)
        return TokenPair(
            access_token=access,
            refresh_token=refresh,
            access_expires_at=moment + dt.timedelta(seconds=seconds),
            refresh_expires_at=moment + dt.timedelta(days=REFRESH_TOKEN_DAYS),
        )

    async def oa_info(self, access_token: str) -> dict[str, Any]:
        """The OA's profile (``oa_id``, ``name``…); raises OAError on an error code."""
        try:
            response = await self._http.get(
                self.api_base + OA_INFO_PATH,
                headers={"access_token": access_token},
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise OAError(None, f"OA info failed: {type(exc).__name__}") from exc
        body = _json(response)
        error = _int(body.get("error"), 0)
        if error != 0:
            raise OAError(error, str(body.get("message") or "OA info refused")[:200])
        data = body.get("data")
        return data if isinstance(data, dict) else {}
