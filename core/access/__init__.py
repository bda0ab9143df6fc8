"""Access control for staff: accounts, signed identity claims, permissions and the audit log.

Only the standard-library modules (``claims``, ``permissions``) are imported here so the
action server (``.venv-rasa``, no argon2) can verify claims; import ``core.access.accounts``
and ``core.access.audit`` explicitly where the database and argon2 are available.
"""

from core.access.claims import (
    CLAIM_AUDIENCE,
    DEV_CLAIM_SECRET,
    Claim,
    ClaimError,
    claim_secret_from_env,
    sign_claim,
    verify_claim,
)
from core.access.permissions import (
    ROLES,
    can_read,
    can_write,
    is_allowed,
)

__all__ = [
    "CLAIM_AUDIENCE",
    "DEV_CLAIM_SECRET",
    "ROLES",
    "Claim",
    "ClaimError",
    "can_read",
    "can_write",
    "claim_secret_from_env",
    "is_allowed",
    "sign_claim",
    "verify_claim",
]
