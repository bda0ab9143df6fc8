"""Publishing a draft: its file in the published cards folder, then the knowledge base synced by
`python -m knowledge sync` in a process of its own (it loads the embedding model, which the
gateway does not), after which the running action servers reload the index they share.

One publication at a time per process (the sync is not meant to run twice at once); a failed
sync puts the folder back as it was, so the next start-up does not pick up a card nobody saw
ingested.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from curation.card_text import CardCheck
from curation.drafts import DraftView, finish_publishing, write_card_file

logger = logging.getLogger(__name__)
SYNC_TIMEOUT_SECONDS = 900.0
_one_at_a_time = asyncio.Lock()


async def run_sync(timeout: float = SYNC_TIMEOUT_SECONDS) -> str | None:
    """Runs the knowledge sync; None when it succeeded, else the reason (its last lines)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "knowledge", "sync",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return f"đồng bộ kho kiến thức quá {timeout:.0f} giây"
    if process.returncode == 0:
        return None
    tail = output.decode("utf-8", "replace").strip().splitlines()[-3:]
    return "đồng bộ kho kiến thức không thành công: " + " / ".join(tail)


def _restore(target: Path, before: dict[Path, bytes]) -> None:
    """The published folder as it was before this card was written."""
    target.unlink(missing_ok=True)
    for path, content in before.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


async def publish(url: str, draft_id: int, check: CardCheck, text: str,
                  folder: Path) -> DraftView:
    """Writes the card, syncs the knowledge base, records the outcome on the draft."""
    async with _one_at_a_time:
        target = folder / check.topic / f"{check.card_id}.md"
        before = {p: p.read_bytes() for p in folder.rglob(f"{check.card_id}.md")}
        problem: str | None
        try:
            await asyncio.to_thread(write_card_file, folder, check, text)
            problem = await run_sync()
        except OSError as exc:
            problem = f"không ghi được tệp thẻ: {exc.strerror or exc}"
        except asyncio.CancelledError:  # the gateway stopped: editable again, not stuck
            _restore(target, before)
            await asyncio.to_thread(finish_publishing, url, draft_id,
                                    "việc đăng bị dừng giữa chừng (máy chủ khởi động lại)")
            raise
        if problem:
            logger.error("publishing draft %s failed: %s", draft_id, problem)
            _restore(target, before)
        else:
            logger.info("draft %s published as %s", draft_id, target)
        return await asyncio.to_thread(finish_publishing, url, draft_id, problem)
