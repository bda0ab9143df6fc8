"""Signed identity claims: who the logged-in staff member is, from the gateway to the actions.

The gateway signs a short-lived claim for every message of an authenticated user and sends it
as Rasa message metadata (``{"identity_claim": token}``); the action server verifies it with
the same secret before doing anything privileged. Standard library only (the action server's
environment has no argon2 and must not need the login JWT secret).

Token format (compact, URL-safe)::

    v1.<base64url(canonical JSON payload)>.<base64url(HMAC-SHA256(secret, "v1." + payload))>

Canonical JSON: sorted keys, no spaces, ASCII. Payload keys: ``aud`` ("troly06-actions"),
``iss`` ("troly06-gateway"), ``sub`` (username), ``role``, ``prov`` (province slug or null),
``iat`` / ``exp`` (Unix seconds) and optionally ``sid`` (the conversation's sender id).

The secret comes from ``TROLY_CLAIM_SECRET`` (dev default in ``core.config``); it
is deliberately distinct from ``TROLY_JWT_SECRET`` which signs the login tokens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass

from core.access.permissions import ROLES
from core.config import CLAIM_SECRET_ENV, DEV_CLAIM_SECRET

CLAIM_VERSION = "v1"
CLAIM_AUDIENCE = "troly06-actions"
CLAIM_ISSUER = "troly06-gateway"
DEFAULT_CLAIM_TTL = 300

_MAX_TOKEN_CHARS = 4096


class ClaimError(ValueError):
    """The claim is missing, malformed, forged, expired or meant for another audience."""


@dataclass(frozen=True)
class Claim:
    """A verified identity: the staff member behind a conversation turn."""

    username: str
    role: str
    province: str | None
    issued_at: int
    expires_at: int
    sender: str | None = None


def claim_secret_from_env() -> str:
    """``TROLY_CLAIM_SECRET`` or the development default."""
    return os.environ.get(CLAIM_SECRET_ENV) or DEV_CLAIM_SECRET


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def _signature(secret: str, signing_input: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256)
    return _b64encode(digest.digest())


def sign_claim(
    secret: str,
    username: str,
    role: str,
    province: str | None,
    ttl: int = DEFAULT_CLAIM_TTL,
    *,
    sender: str | None = None,
    now: float | None = None,
    audience: str = CLAIM_AUDIENCE,
) -> str:
    """A compact signed claim valid for ``ttl`` seconds from ``now``."""
    if not secret:
        raise ValueError("claim secret is empty")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if ttl <= 0:
        raise ValueError("ttl must be positive")
    issued = int(now if now is not None else time.time())
    payload: dict = {
        "aud": audience,
        "iss": CLAIM_ISSUER,
        "sub": username,
        "role": role,
        "prov": province,
        "iat": issued,
        "exp": issued + int(ttl),
    }
    if sender is not None:
        payload["sid"] = sender
    signing_input = f"{CLAIM_VERSION}.{_b64encode(_canonical(payload))}"
    return f"{signing_input}.{_signature(secret, signing_input)}"


def verify_claim(
    secret: str, token: str | None, now: float | None = None, *, leeway: int = 0
) -> Claim:
    """The verified claim in ``token``; raises ClaimError when it cannot be trusted."""
    if not secret:
        raise ClaimError("claim secret is empty")
    if not token or not isinstance(token, str):
        raise ClaimError("claim missing")
    if len(token) > _MAX_TOKEN_CHARS:
        raise ClaimError("claim too long")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != CLAIM_VERSION:
        raise ClaimError("claim malformed")
    signing_input = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_signature(secret, signing_input), parts[2]):
        raise ClaimError("claim signature invalid")
    try:
        payload = json.loads(_b64decode(parts[1]))
    except (binascii.Error, ValueError) as exc:
        raise ClaimError("claim payload unreadable") from exc
    if not isinstance(payload, dict):
        raise ClaimError("claim payload unreadable")
    if payload.get("aud") != CLAIM_AUDIENCE:
        raise ClaimError("claim audience wrong")
    if payload.get("iss") != CLAIM_ISSUER:
        raise ClaimError("claim issuer wrong")
    username, role, province = payload.get("sub"), payload.get("role"), payload.get("prov")
    issued, expires = payload.get("iat"), payload.get("exp")
    if not isinstance(username, str) or not username:
        raise ClaimError("claim subject missing")
    if role not in ROLES:
        raise ClaimError("claim role unknown")
    if province is not None and not isinstance(province, str):
        raise ClaimError("claim province malformed")
    if not isinstance(issued, int) or not isinstance(expires, int):
        raise ClaimError("claim times malformed")
    current = now if now is not None else time.time()
    if current >= expires + leeway:
        raise ClaimError("claim expired")
    if issued > current + leeway + 60:
        raise ClaimError("claim issued in the future")
    sender = payload.get("sid")
    return Claim(
        username=username,
        role=role,
        province=province,
        issued_at=issued,
        expires_at=expires,
        sender=sender if isinstance(sender, str) else None,
    )
