"""Zalo Bot channel: update parsing, reply rendering, the bot client and the webhook CLI."""

from channels.zalo.bot import ZaloBot, build_bot
from channels.zalo.service import ZaloService
from channels.zalo.updates import ZaloEvent, parse_updates

__all__ = ["ZaloBot", "ZaloEvent", "ZaloService", "build_bot", "parse_updates"]
