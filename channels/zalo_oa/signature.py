"""X-ZEvent-Signature: whether a delivery comes from Zalo, and whether it is fresh.

Zalo's OA webhook documentation gives the header as ``mac=<hex>``, the hex being SHA-256 of
app id + raw body + timestamp + OA secret key, concatenated (a plain hash, not an HMAC). The
timestamp is the body's ``timestamp`` (milliseconds); some integrations report it in an
``X-ZEvent-Timestamp`` header instead, so that one is tried too (docs/zalo-oa.md). The secret
never leaves this process, so a forger cannot produce the hash whichever timestamp is used.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from typing import Literal

Verdict = Literal["ok", "forged", "stale"]
PREFIX = "mac="


def compute_mac(app_id: str, raw_body: bytes, timestamp: str, secret: str) -> str:
    """The hex digest Zalo puts after ``mac=`` for this delivery."""
    digest = hashlib.sha256()
    digest.update(app_id.encode("utf-8"))
    digest.update(raw_body)
    digest.update(timestamp.encode("utf-8"))
    digest.update(secret.encode("utf-8"))
    return digest.hexdigest()


def signature_header(app_id: str, raw_body: bytes, timestamp: str, secret: str) -> str:
    """The header value as Zalo sends it (the fake OA and the tests sign with this)."""
    return PREFIX + compute_mac(app_id, raw_body, timestamp, secret)


def _given_mac(header: str) -> str:
    value = header.strip()
    if value[: len(PREFIX)].lower() == PREFIX:
        value = value[len(PREFIX):]
    return value.strip().lower()


def _as_millis(timestamp: str) -> int | None:
    try:
        value = int(timestamp)
    except ValueError:
        return None
    # a value in seconds (10 digits) is accepted as well
    return value * 1000 if value < 10**11 else value


def check_delivery(
    raw_body: bytes,
    header: str,
    *,
    app_id: str,
    secret: str,
    timestamps: Iterable[str | None],
    max_age_seconds: float,
    now_ms: int | None = None,
) -> Verdict:
    """``ok``, ``forged`` (missing or wrong signature) or ``stale`` (signed, but older or
    further ahead than ``max_age_seconds``; 0 turns the age check off)."""
    given = _given_mac(header or "")
    if not given or not secret or not app_id:
        return "forged"
    signed_at: int | None = None
    for candidate in dict.fromkeys(str(t).strip() for t in timestamps if t is not None):
        if not candidate:
            continue
        expected = compute_mac(app_id, raw_body, candidate, secret)
        if hmac.compare_digest(given.encode("ascii", "replace"), expected.encode("ascii")):
            signed_at = _as_millis(candidate)
            break
    else:
        return "forged"
    if max_age_seconds <= 0:
        return "ok"
    now = int(time.time() * 1000) if now_ms is None else now_ms
    if signed_at is None or abs(now - signed_at) > max_age_seconds * 1000:
        return "stale"
    return "ok"
