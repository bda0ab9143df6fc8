"""Which channel a conversation came by, from its id's prefix: Zalo Bot and Zalo OA citizens
get staff messages pushed, web citizens fetch theirs. The one table of conversation-id
prefixes: the channels build ids with it, handoffs and analytics read it."""

from __future__ import annotations

# channel → the prefix of its conversation ids (the widget's random ids start with "web:")
SENDER_PREFIXES = {"web": "web:", "zalo": "zalo:", "zalooa": "zalooa:"}
PUSH_PREFIXES = {c: prefix for c, prefix in SENDER_PREFIXES.items() if c != "web"}


def channel_of_sender(sender_id: str) -> str:
    """"zalo", "zalooa" or "web"."""
    return next((channel for channel, prefix in PUSH_PREFIXES.items()
                 if sender_id.startswith(prefix)), "web")
