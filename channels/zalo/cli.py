"""Webhook administration for the Zalo bot.

    python -m channels.zalo set-webhook [URL]   # URL defaults to TROLY_ZALO_WEBHOOK_URL
    python -m channels.zalo delete-webhook
    python -m channels.zalo info

Token, secret and API base come from the gateway settings (TROLY_ZALO_BOT_TOKEN,
TROLY_ZALO_WEBHOOK_SECRET, TROLY_ZALO_API_BASE_URL). Everything is awaited on one event loop
(:func:`run_command` can be awaited from a running loop); the library's synchronous webhook
helpers, which call ``asyncio.run`` themselves, are not used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any

from channels.zalo.bot import build_bot, redact_token
from core.config import Settings

MIN_SECRET, MAX_SECRET = 8, 256


class CommandError(RuntimeError):
    """A configuration or API problem, explained in Vietnamese for the operator."""


async def run_command(
    settings: Settings, command: str, url: str | None = None
) -> dict[str, Any]:
    """Runs one webhook command against the Bot API; returns what to show."""
    if not settings.gateway.zalo_bot_token:
        raise CommandError("Chưa cấu hình TROLY_ZALO_BOT_TOKEN (token của bot Zalo).")
    bot = build_bot(settings.gateway.zalo_bot_token, settings.gateway.zalo_api_base_url)
    try:
        if command == "set-webhook":
            target = url or settings.gateway.zalo_webhook_url
            secret = settings.gateway.zalo_webhook_secret
            if not target:
                raise CommandError(
                    "Thiếu địa chỉ webhook: truyền URL hoặc đặt TROLY_ZALO_WEBHOOK_URL."
                )
            if not MIN_SECRET <= len(secret) <= MAX_SECRET:
                raise CommandError(
                    "TROLY_ZALO_WEBHOOK_SECRET phải có từ 8 đến 256 ký tự "
                    "(Zalo gửi lại mã này trong header X-Bot-Api-Secret-Token)."
                )
            ok = await bot.set_webhook_async(target, secret)
            return {"ok": ok, "url": target}
        if command == "delete-webhook":
            return {"ok": await bot.delete_webhook_async()}
        if command == "info":
            return {"ok": True, **await bot.get_webhook_info_async()}
        raise CommandError(f"Lệnh không hợp lệ: {command}")
    except CommandError:
        raise
    except Exception as exc:  # zalo_bot.error.ZaloError, network errors
        raise CommandError(
            f"Gọi Zalo Bot API thất bại ({type(exc).__name__}): {redact_token(str(exc))}"
        ) from exc
    finally:
        await bot.aclose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m channels.zalo", description="Quản lý webhook của bot Zalo."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    set_hook = sub.add_parser("set-webhook", help="Đăng ký địa chỉ webhook với Zalo.")
    set_hook.add_argument("url", nargs="?", help="Địa chỉ HTTPS công khai của /webhooks/zalo")
    sub.add_parser("delete-webhook", help="Xóa webhook đã đăng ký.")
    sub.add_parser("info", help="Xem webhook đang đăng ký.")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """CLI entry point; exit code 0 on success."""
    args = _parser().parse_args(argv)
    settings = settings or Settings()
    try:
        result = asyncio.run(run_command(settings, args.command, getattr(args, "url", None)))
    except CommandError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result.get("ok") else 1
