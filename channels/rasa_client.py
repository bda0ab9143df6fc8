"""HTTP client for the Rasa server(s) behind the gateway.

With several Rasa replicas (``TROLY_RASA_URLS``) each conversation goes to one of them, chosen
by its sender id (rendezvous hashing: a replica that goes away moves only its own
conversations). Rasa open source's Redis lock store is not race-free when two replicas take
one conversation's lock at once, so a conversation must stay on one replica; the state itself
is in the shared tracker store, so when that replica refuses connections the next one in the
sender's order takes over. A message is never sent twice: only a refused connection (nothing
was sent) moves on; a timeout or a broken reply may mean Rasa processed it, and fails.

A restarted replica accepts connections minutes before its model is loaded, and a message
sent to it then waits for the whole reply timeout. ``watch_replicas`` asks each replica's
/status every few seconds; a replica that is not ready is tried last, so its conversations
go to a ready one meanwhile and come back when it is.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import httpx

from vntext import mask_pii

# a request that cannot get a connection within this many seconds fails (503) rather than
# spending the whole reply timeout waiting for the pool
POOL_WAIT_SECONDS = 5.0
# errors raised before a request's bytes left this process: safe to try another replica
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


# consecutive failed or slow status probes before a replica counts as not ready (a replica
# busy with a load burst may answer one probe late; one that is loading answers none)
PROBE_FAILURES_FOR_DOWN = 2


class RasaUnavailable(RuntimeError):
    """Rasa (or the action server behind it) could not produce a reply."""


class NoReply(RasaUnavailable):
    """Rasa answered with no message: an action failed, or the conversation is paused while
    staff hold it (the caller tells the two apart)."""


# gives a paused conversation back to the assistant: resumed, and listening as after any turn
# (without the action_listen the next message follows the handoff action, a state no rule or
# story knows, and Rasa fell back to "I did not understand")
RESUME: list[dict[str, Any]] = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]


class ReplicaReadiness:
    """Which replicas are ready to answer, from their status probes and refused connections.
    A replica nothing is known about counts as ready. Shared by the gateway's clients."""

    def __init__(self) -> None:
        self._failures: dict[str, int] = {}

    def is_ready(self, replica: str) -> bool:
        return self._failures.get(replica, 0) < PROBE_FAILURES_FOR_DOWN

    def ok(self, replica: str) -> None:
        self._failures[replica] = 0

    def failed(self, replica: str) -> None:
        self._failures[replica] = self._failures.get(replica, 0) + 1

    def refused(self, replica: str) -> None:
        """A refused connection: the process is gone, not merely slow."""
        self._failures[replica] = PROBE_FAILURES_FOR_DOWN

    def order(self, sender_id: str, replicas: list[str]) -> list[str]:
        """The sender's replica order with the ready ones first (never empty: when none is
        ready, each is still tried)."""
        preferred = replica_order(sender_id, replicas)
        return sorted(preferred, key=lambda r: not self.is_ready(r))


def replica_order(sender_id: str, replicas: list[str]) -> list[str]:
    """The replicas in the order this sender tries them: the same for every message of the
    conversation, and removing one replica changes no other sender's first choice."""

    def weight(replica: str) -> bytes:
        return hashlib.sha256(f"{replica}|{sender_id}".encode()).digest()

    return sorted(replicas, key=weight, reverse=True)


class RasaClient:
    """Talks to Rasa's REST channel and status endpoint, on one replica or several."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_urls: str | list[str],
        token: str,
        timeout: float,
        readiness: ReplicaReadiness | None = None,
    ):
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._http = http
        self.replicas = [u.rstrip("/") for u in urls]
        self._token = token
        self._timeout = timeout
        self.readiness = readiness or ReplicaReadiness()

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Sends one user message; returns Rasa's list of bot messages. ID and phone numbers
        are masked first: Rasa's tracker store keeps every message, and no answer needs them."""
        body: dict[str, Any] = {"sender": sender_id, "message": mask_pii(text)}
        if metadata:
            body["metadata"] = metadata
        return _messages(await self._post_once(sender_id, "/webhooks/rest/webhook", json=body))

    async def _post_once(self, sender_id: str, path: str, **kwargs: Any) -> httpx.Response:
        """POSTs to the sender's replica, never twice: only a refused connection (nothing was
        sent) moves on to the next; any other failure raises RasaUnavailable."""
        for base in self.readiness.order(sender_id, self.replicas):
            try:
                return await self._http.post(f"{base}{path}", timeout=self._request_timeout,
                                             **kwargs)
            except NOT_SENT:
                self.readiness.refused(base)
                continue  # nothing was sent: the next replica may take it
            except httpx.HTTPError as exc:
                raise RasaUnavailable(f"rasa unreachable: {type(exc).__name__}") from exc
        raise RasaUnavailable(f"rasa unreachable: {len(self.replicas)} replica(s) refused")

    @property
    def _request_timeout(self) -> httpx.Timeout:
        # a request that cannot get a pooled connection soon fails rather than wait it all
        return httpx.Timeout(self._timeout, pool=min(POOL_WAIT_SECONDS, self._timeout))

    async def conversation_events(self, sender_id: str) -> list[dict[str, Any]]:
        """The events Rasa stored for the conversation (from its replica; reading twice is
        harmless, so any replica that answers will do)."""
        for base in self.readiness.order(sender_id, self.replicas):
            try:
                response = await self._http.get(
                    f"{base}/conversations/{sender_id}/tracker",
                    params={"token": self._token},
                    timeout=self._request_timeout,
                )
            except httpx.HTTPError:
                continue
            if response.status_code != 200:
                continue
            try:
                events = response.json().get("events") or []
            except (ValueError, AttributeError):
                continue
            return [e for e in events if isinstance(e, dict)]
        raise RasaUnavailable("rasa unreachable: no replica returned the conversation")

    async def append_events(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """Appends events to the conversation (``RESUME`` gives it back to the assistant after a
        handoff); sent to the sender's replica only, never twice."""
        response = await self._post_once(
            sender_id, f"/conversations/{sender_id}/tracker/events",
            params={"token": self._token}, json=events,
        )
        if response.status_code != 200:
            raise RasaUnavailable(f"rasa answered HTTP {response.status_code}")

    async def replica_status(self, base: str, timeout: float) -> dict[str, Any]:
        """One replica's /status (model loaded, fingerprint); raises RasaUnavailable."""
        try:
            response = await self._http.get(
                f"{base}/status", params={"token": self._token}, timeout=timeout
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"rasa status failed: {type(exc).__name__}") from exc


    async def probe(self, timeout: float) -> None:
        """Asks every replica's /status once and records which are ready (a loaded model)."""

        async def one(base: str) -> None:
            try:
                ready = bool((await self.replica_status(base, timeout)).get("model_file"))
            except RasaUnavailable as exc:
                if isinstance(exc.__cause__, NOT_SENT):
                    self.readiness.refused(base)
                    return
                ready = False
            if ready:
                self.readiness.ok(base)
            else:
                self.readiness.failed(base)

        await asyncio.gather(*(one(base) for base in self.replicas))


async def watch_replicas(client: RasaClient, interval: float, timeout: float) -> None:
    """Probes the replicas every ``interval`` seconds until cancelled (the gateway's lifespan)."""
    while True:
        await client.probe(timeout)
        await asyncio.sleep(interval)


def _messages(response: httpx.Response) -> list[dict[str, Any]]:
    if response.status_code != 200:
        raise RasaUnavailable(f"rasa answered HTTP {response.status_code}")
    try:
        messages = response.json()
    except ValueError as exc:
        raise RasaUnavailable("rasa answered invalid JSON") from exc
    if not isinstance(messages, list):
        raise RasaUnavailable("rasa answered an unexpected body")
    if not messages:
        # every turn of this assistant says something: an empty reply means an action failed
        # (Rasa logs it and carries on), or that the conversation is paused for a handoff
        raise NoReply("rasa produced no reply (an action failed or the conversation is paused)")
    return messages
