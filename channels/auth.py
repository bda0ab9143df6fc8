"""Staff authentication on the gateway: login JWTs and the optional identity of a request.

Login tokens are HS256 JWTs signed with ``TROLY_JWT_SECRET`` (audience "troly06-gateway"); they
are only ever read by the gateway. What Rasa and the action server see is a separate identity
claim signed with ``TROLY_CLAIM_SECRET`` (``core.access.claims``).
"""

from __future__ import annotations

import logging
import secrets
import time
import warnings
from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from channels.dependencies import SettingsDep
from channels.errors import error_response
from core.access.permissions import ROLES
from core.config import Settings, secret_problems

logger = logging.getLogger("channels.auth")

TOKEN_AUDIENCE = "troly06-gateway"
TOKEN_ISSUER = "troly06-gateway"
ALGORITHM = "HS256"

# PyJWT warns on every call with an HMAC key under 32 bytes (the dev default is shorter);
# the gateway logs one warning at startup instead (see warn_about_dev_secrets).
warnings.filterwarnings("ignore", message=".*HMAC key.*", module=r"jwt\..*")


@dataclass(frozen=True)
class Identity:
    """A logged-in staff member, from a verified login token."""

    username: str
    role: str
    province: str | None
    expires_at: int
    token_id: str = ""


class InvalidToken(Exception):
    """The request carried a bearer token that is malformed, forged or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def issue_access_token(
    settings: Settings,
    username: str,
    role: str,
    province: str | None,
    now: float | None = None,
) -> str:
    """A login JWT valid for ``settings.gateway.jwt_expires_seconds``."""
    issued = int(now if now is not None else time.time())
    payload = {
        "sub": username,
        "role": role,
        "province": province,
        "iat": issued,
        "exp": issued + settings.gateway.jwt_expires_seconds,
        "aud": TOKEN_AUDIENCE,
        "iss": TOKEN_ISSUER,
        "jti": secrets.token_urlsafe(12),  # lets a log-out revoke this one token
    }
    return jwt.encode(payload, settings.secrets.jwt_secret, algorithm=ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> Identity:
    """The identity in a login JWT; raises InvalidToken."""
    try:
        payload = jwt.decode(
            token,
            settings.secrets.jwt_secret,
            algorithms=[ALGORITHM],
            audience=TOKEN_AUDIENCE,
            issuer=TOKEN_ISSUER,
            options={"require": ["sub", "exp", "iat", "aud", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken(type(exc).__name__) from exc
    role, province = payload.get("role"), payload.get("province")
    if role not in ROLES or (province is not None and not isinstance(province, str)):
        raise InvalidToken("bad claims")
    return Identity(
        username=str(payload["sub"]),
        role=role,
        province=province,
        expires_at=payload["exp"],
        token_id=str(payload.get("jti") or ""),
    )


# declares the bearer scheme on the operations that require it (the header itself is read in
# optional_identity, so that a bad token gets the Vietnamese 401 rather than FastAPI's 403)
BEARER = HTTPBearer(auto_error=False, description="Staff login token (POST /api/auth/login)")


def optional_identity(request: Request, settings: SettingsDep) -> Identity | None:
    """The staff identity of ``Authorization: Bearer …``; None without the header (citizen).

    A header that is present but unusable raises InvalidToken (401): silently treating it as a
    citizen would hide an expired session from the official.
    """
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("not a bearer token")
    identity = decode_access_token(settings, token.strip())
    if identity.token_id and request.app.state.revoked_tokens.get(identity.token_id):
        raise InvalidToken("logged out")
    if not account_is_active(settings, identity.username):
        raise InvalidToken("account disabled")  # deactivation takes effect at once
    return identity


def account_is_active(settings: Settings, username: str) -> bool:
    """Whether the token's account still exists and is active (a database read per request;
    a failing database refuses rather than trusts)."""
    from core.access.accounts import is_active

    try:
        return is_active(settings.database.audit_url, username)
    except Exception:
        logger.exception("could not check the account behind a token")
        return False


OptionalUser = Annotated[Identity | None, Depends(optional_identity)]


def required_identity(
    identity: OptionalUser,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
) -> Identity:
    """The staff identity; a request without a bearer token is a 401 (InvalidToken)."""
    if identity is None:
        raise InvalidToken("missing")
    return identity


async def _invalid_token(request: Request, exc: InvalidToken) -> JSONResponse:
    logger.info(
        "request_id=%s rejected bearer token: %s",
        getattr(request.state, "request_id", "-"),
        exc.reason,
    )
    if exc.reason == "missing":
        vi = "Chức năng này dành cho cán bộ đã đăng nhập. Anh/chị vui lòng đăng nhập trước."
    elif exc.reason == "expired":
        vi = "Phiên đăng nhập của anh/chị đã hết hạn. Anh/chị vui lòng đăng nhập lại."
    else:
        vi = "Thông tin đăng nhập không hợp lệ. Anh/chị vui lòng đăng nhập lại."
    response = error_response(
        request, 401, "invalid_token", vi, f"Invalid bearer token ({exc.reason})."
    )
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def install_auth_handlers(app: FastAPI) -> None:
    """Registers the 401 handler for unusable bearer tokens."""
    app.add_exception_handler(InvalidToken, _invalid_token)


def warn_about_dev_secrets(settings: Settings) -> None:
    """In dev mode, says once which development secrets are in use (outside dev mode the app
    refuses to start with them: ``core.config.require_safe_secrets``)."""
    for problem in secret_problems(settings):
        logger.warning("dev mode: %s", problem)


CurrentUser = Annotated[Identity, Depends(required_identity)]
