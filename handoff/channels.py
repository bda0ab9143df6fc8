"""Which channel a conversation came by, from its id's prefix: Zalo Bot and Zalo OA citizens
get staff messages pushed, web citizens fetch theirs."""

from __future__ import annotations

PUSH_PREFIXES = {"zalo": "zalo:", "zalooa": "zalooa:"}


def channel_of_sender(sender_id: str) -> str:
    """"zalo", "zalooa" or "web"."""
    return next((channel for channel, prefix in PUSH_PREFIXES.items()
                 if sender_id.startswith(prefix)), "web")
