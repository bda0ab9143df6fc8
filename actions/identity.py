"""Who is asking: the staff identity the gateway signed, verified here before any privilege.

The gateway attaches ``identity_claim`` to the message metadata only for a valid login token;
anything else (no claim, a forged or expired one, one issued for another conversation) means a
citizen. Plain metadata such as ``{"role": "admin"}`` is never trusted.
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker

from core.access.claims import Claim, ClaimError, claim_secret_from_env, verify_claim
from vntext import mask_pii

logger = logging.getLogger(__name__)
CLAIM_KEY = "identity_claim"


def _claim_token(tracker: Tracker) -> str | None:
    metadata = tracker.latest_message.get("metadata") or {}
    if not metadata:
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                metadata = event.get("metadata") or {}
                break
    token = metadata.get(CLAIM_KEY) if isinstance(metadata, dict) else None
    return token if isinstance(token, str) else None


def check_identity(tracker: Tracker) -> tuple[Claim | None, str | None]:
    """(verified claim, None), or (None, why): "expired"/"invalid" when a claim was present
    but not accepted (logged), None when there was none (a citizen)."""
    token = _claim_token(tracker)
    if token is None:
        return None, None
    try:
        claim = verify_claim(claim_secret_from_env(), token)
    except ClaimError as exc:
        logger.warning("identity claim rejected (sender %s): %s", mask_pii(tracker.sender_id), exc)
        return None, "expired" if "expired" in str(exc) else "invalid"
    if claim.sender != tracker.sender_id:
        logger.warning(
            "identity claim for another or no conversation rejected (sender %s)",
            mask_pii(tracker.sender_id),
        )
        return None, "invalid"
    return claim, None


def verified_identity(tracker: Tracker) -> Claim | None:
    """The verified claim of the latest message, or None."""
    return check_identity(tracker)[0]
