"""POST /api/auth/login: staff credentials in, a short-lived bearer token out."""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from channels.auth import CurrentUser, issue_access_token
from channels.dependencies import SettingsDep, audit_request, client_ip
from channels.errors import error_response, too_many_requests
from channels.schemas import ErrorResponse, LoginRequest, LoginResponse
from vntext import mask_pii

logger = logging.getLogger("channels.auth")
# password hashing (argon2id, 64 MiB a hash) on two threads of its own
HASHING_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="login-hash")
router = APIRouter(prefix="/api/auth", tags=["auth"])

BAD_CREDENTIALS_VI = (
    "Tên đăng nhập hoặc mật khẩu không đúng. Anh/chị vui lòng kiểm tra lại và thử lại."
)


def _read_body(raw: bytes) -> LoginRequest | None:
    try:
        return LoginRequest.model_validate(json.loads(raw or b"null"))
    except (ValueError, ValidationError):
        return None


@router.post(
    "/login",
    response_model=LoginResponse,
    responses={
        401: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
        429: {"model": ErrorResponse},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": LoginRequest.model_json_schema()}},
        }
    },
)
async def login(
    request: Request, settings: SettingsDep
) -> LoginResponse | JSONResponse:
    """Checks the credentials (same 401 for unknown user and wrong password)."""
    from starlette.concurrency import run_in_threadpool

    from core.access.accounts import authenticate, get_account, normalize_username

    body = _read_body(await request.body())
    if body is None:
        return error_response(
            request,
            422,
            "invalid_request",
            "Yêu cầu không hợp lệ. Vui lòng gửi JSON có username và password.",
            "Invalid request: expected a JSON object with string username and password.",
            ["username", "password"],
        )
    username = normalize_username(body.username)
    ip = client_ip(request)
    state = request.app.state
    # global, then per IP, then per user name and IP: all before any password hash is run
    wait = (
        state.login_global_limiter.check("all")
        or state.login_ip_limiter.check(ip)
        or state.login_rate_limiter.check(f"{username}|{ip}")
    )
    if wait:
        # logged, not audited: a flood of refused attempts must not grow the audit log
        logger.warning(
            "request_id=%s login rate limited user=%s", request.state.request_id, mask_pii(username)
        )
        return too_many_requests(
            request,
            "login_rate_limited",
            f"Anh/chị đã thử đăng nhập quá nhiều lần. Vui lòng đợi khoảng {wait} giây rồi thử lại.",
            f"Too many login attempts; retry after {wait} s.",
            wait,
        )
    loop = asyncio.get_running_loop()
    # argon2id hashing runs on its own small pool, never on the one serving /api/chat
    account = await loop.run_in_executor(
        HASHING_POOL, authenticate, settings.database.audit_url, username, body.password
    )
    if account is None:
        logger.info(
            "request_id=%s login failed user=%s", request.state.request_id, mask_pii(username)
        )
        # a mistyped user name is often a password: only existing accounts are named
        known = await run_in_threadpool(get_account, settings.database.audit_url, username)
        await run_in_threadpool(
            audit_request,
            request,
            settings,
            actor=username if known is not None else "(unknown)",
            role=None,
            action="login_failure",
            detail={"reason": "bad_credentials"},
        )
        response = error_response(
            request, 401, "bad_credentials", BAD_CREDENTIALS_VI, "Wrong username or password."
        )
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    token = issue_access_token(settings, account.username, account.role, account.province)
    logger.info(
        "request_id=%s login ok user=%s role=%s",
        request.state.request_id,
        account.username,
        account.role,
    )
    await run_in_threadpool(
        audit_request,
        request,
        settings,
        actor=account.username,
        role=account.role,
        action="login_success",
        detail={"province": account.province},
    )
    return LoginResponse(
        access_token=token,
        expires_in=settings.gateway.jwt_expires_seconds,
        role=account.role,
        province=account.province,
    )


@router.post("/logout", responses={401: {"model": ErrorResponse}})
async def logout(request: Request, identity: CurrentUser, settings: SettingsDep) -> dict:
    """Ends this token now (not only in the browser): later requests with it get 401."""
    from starlette.concurrency import run_in_threadpool

    if identity.token_id:
        request.app.state.revoked_tokens.add(identity.token_id, True)
    await run_in_threadpool(
        audit_request, request, settings, actor=identity.username, role=identity.role,
        action="logout", detail={},
    )
    return {"ok": True}
