"""HTTP client for the Rasa server behind the gateway."""

from __future__ import annotations

from typing import Any

import httpx

from vntext import mask_pii

# a request that cannot get a connection within this many seconds fails (503) rather than
# spending the whole reply timeout waiting for the pool
POOL_WAIT_SECONDS = 5.0


class RasaUnavailable(RuntimeError):
    """Rasa (or the action server behind it) could not produce a reply."""


class RasaClient:
    """Talks to Rasa's REST channel and status endpoint."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: str, timeout: float):
        self._http = http
        self._base = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Sends one user message; returns Rasa's list of bot messages. ID and phone numbers
        are masked first: Rasa's tracker store keeps every message, and no answer needs them."""
        body: dict[str, Any] = {"sender": sender_id, "message": mask_pii(text)}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self._http.post(
                f"{self._base}/webhooks/rest/webhook",
                json=body,
                timeout=httpx.Timeout(self._timeout, pool=min(POOL_WAIT_SECONDS, self._timeout)),
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"rasa unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"rasa answered HTTP {response.status_code}")
        try:
            messages = response.json()
        except ValueError as exc:
            raise RasaUnavailable("rasa answered invalid JSON") from exc
        if not isinstance(messages, list):
            raise RasaUnavailable("rasa answered an unexpected body")
        return messages

    async def status(self, timeout: float) -> dict[str, Any]:
        """Rasa's /status (model loaded, fingerprint); raises RasaUnavailable."""
        try:
            response = await self._http.get(
                f"{self._base}/status", params={"token": self._token}, timeout=timeout
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"rasa status failed: {type(exc).__name__}") from exc
