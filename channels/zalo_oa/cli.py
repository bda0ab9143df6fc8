"""Administration of the Zalo OA channel.

    python -m channels.zalo_oa new-key      # a key for TROLY_ZALO_OA_TOKEN_KEY
    python -m channels.zalo_oa set-tokens   # store the first access/refresh token, encrypted
    python -m channels.zalo_oa check        # settings, token expiry, a call to the OA API
    python -m channels.zalo_oa refresh      # get a new access token now

The tokens are read from the terminal without echo (or, when piped, as two lines: access token,
then refresh token), never from the command line, where the shell history and ``ps`` keep
them; no command prints them.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from channels.zalo_oa.build import build_token_manager, missing_settings
from channels.zalo_oa.client import DEFAULT_ACCESS_SECONDS, REFRESH_TOKEN_DAYS, OAClient, OAError
from channels.zalo_oa.tokens import TokenUnavailable
from core.config import Settings
from oa_tokens import InvalidTokenKey, TokenCipher, TokenPair, generate_key, load_tokens
from oa_tokens import save_tokens as store_tokens


class CommandError(RuntimeError):
    """A configuration or API problem, explained in Vietnamese for the operator."""


def _require(settings: Settings, *names: str) -> None:
    missing = [n for n in missing_settings(settings) if n in names]
    if missing:
        raise CommandError("Chưa cấu hình " + ", ".join(missing) + " (xem docs/zalo-oa.md).")


def _cipher(settings: Settings) -> TokenCipher:
    try:
        return TokenCipher(settings.gateway.zalo_oa_token_key)
    except InvalidTokenKey as exc:
        raise CommandError(
            "TROLY_ZALO_OA_TOKEN_KEY không phải khóa hợp lệ; tạo khóa mới bằng lệnh new-key."
        ) from exc


def read_tokens(prompt: Callable[[str], str] | None = None) -> tuple[str, str]:
    """The access and refresh token, without echo on a terminal, else two lines of stdin."""
    if prompt is None and not sys.stdin.isatty():
        lines = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
        access, refresh = (lines + ["", ""])[:2]
    else:
        ask = prompt or getpass.getpass
        access = ask("Access token của OA: ").strip()
        refresh = ask("Refresh token của OA: ").strip()
    if not access or not refresh:
        raise CommandError("Cần nhập cả access token và refresh token.")
    return access, refresh


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def set_tokens(settings: Settings, access: str, refresh: str, expires_in: int) -> dict[str, Any]:
    """Stores the pair encrypted; the refresh token's three months start now."""
    _require(settings, "TROLY_ZALO_OA_APP_ID", "TROLY_ZALO_OA_TOKEN_KEY")
    now = dt.datetime.now(dt.timezone.utc)
    pair = TokenPair(access, refresh, now + dt.timedelta(seconds=expires_in),
                     now + dt.timedelta(days=REFRESH_TOKEN_DAYS))
    store_tokens(settings.database.url, settings.gateway.zalo_oa_app_id, pair,
                 _cipher(settings))
    return {"ok": True, "access_expires_at": _when(pair.access_expires_at),
            "refresh_expires_at": _when(pair.refresh_expires_at)}


async def _with_manager(settings: Settings, work: str) -> dict[str, Any]:
    missing = missing_settings(settings)
    if missing:
        raise CommandError("Chưa cấu hình " + ", ".join(missing) + " (xem docs/zalo-oa.md).")
    async with httpx.AsyncClient() as http:
        gw = settings.gateway
        client = OAClient(http, gw.zalo_oa_api_base_url, gw.zalo_oa_oauth_base_url)
        manager = build_token_manager(settings, client, _cipher(settings))
        try:
            if work == "refresh":
                stored = await asyncio.to_thread(
                    load_tokens, settings.database.url, gw.zalo_oa_app_id, _cipher(settings))
                if stored is None:
                    raise TokenUnavailable("no tokens")
                pair = await manager.refresh(stored.access_token)
                return {"ok": True, "access_expires_at": _when(pair.access_expires_at)}
            info = await client.oa_info(await manager.access_token())
        except TokenUnavailable as exc:
            raise CommandError("Chưa có token của OA: chạy lệnh set-tokens trước.") from exc
        except OAError as exc:
            raise CommandError(f"Zalo từ chối hoặc không trả lời ({exc}).") from exc
        stored = await asyncio.to_thread(
            load_tokens, settings.database.url, gw.zalo_oa_app_id, _cipher(settings))
        return {
            "ok": True,
            "oa_id": str(info.get("oa_id") or ""),
            "oa_name": str(info.get("name") or ""),
            "access_expires_at": _when(stored.access_expires_at) if stored else None,
            "refresh_expires_at_estimate": _when(stored.refresh_expires_at) if stored else None,
            "refreshed_now": manager.refreshes > 0,
        }


def run_command(settings: Settings, command: str, expires_in: int = DEFAULT_ACCESS_SECONDS,
                prompt: Callable[[str], str] | None = None) -> dict[str, Any]:
    """Runs one command; returns what to show (raises CommandError)."""
    if command == "new-key":
        return {"ok": True, "TROLY_ZALO_OA_TOKEN_KEY": generate_key()}
    if command == "set-tokens":
        access, refresh = read_tokens(prompt)
        return set_tokens(settings, access, refresh, expires_in)
    if command in ("check", "refresh"):
        return asyncio.run(_with_manager(settings, command))
    raise CommandError(f"Lệnh không hợp lệ: {command}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m channels.zalo_oa", description="Quản lý kênh Zalo OA của trợ lý."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("new-key", help="Tạo khóa mã hóa token (TROLY_ZALO_OA_TOKEN_KEY).")
    tokens = sub.add_parser("set-tokens", help="Lưu access token và refresh token ban đầu.")
    tokens.add_argument("--expires-in", type=int, default=DEFAULT_ACCESS_SECONDS,
                        help="Thời hạn còn lại của access token, tính bằng giây "
                             "(mặc định 90000 = 25 giờ).")
    sub.add_parser("check", help="Kiểm tra cấu hình, hạn token và gọi thử API của OA.")
    sub.add_parser("refresh", help="Làm mới access token ngay.")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """CLI entry point; exit code 0 on success."""
    args = _parser().parse_args(argv)
    settings = settings or Settings()
    try:
        result = run_command(settings, args.command, getattr(args, "expires_in",
                                                              DEFAULT_ACCESS_SECONDS))
    except CommandError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result.get("ok") else 1
