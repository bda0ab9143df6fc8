"""Chart images for replies: saved under an unguessable id, served by the gateway, pruned.

The action server writes a PNG and replies with ``/api/charts/<id>.png``; the gateway serves
the file (and makes the URL absolute for Zalo). Ids are random (128 bits), so a chart is only
reachable by whoever received the reply; files older than ``max_age`` are deleted on write.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

CHART_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
URL_PREFIX = "/api/charts/"
DEFAULT_MAX_AGE = 24 * 3600
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def charts_dir(data_dir: Path) -> Path:
    """Where chart files live inside the data directory."""
    return Path(data_dir) / "charts"


def _prune(directory: Path, max_age: float) -> None:
    cutoff = time.time() - max_age
    for path in directory.glob("*.png"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def save_chart(png: bytes, directory: Path, max_age: float = DEFAULT_MAX_AGE) -> str:
    """Stores ``png`` and returns its id; raises ValueError for anything but a PNG."""
    if not png.startswith(_PNG_MAGIC):
        raise ValueError("not a PNG image")
    directory.mkdir(parents=True, exist_ok=True)
    _prune(directory, max_age)
    chart_id = secrets.token_urlsafe(16)
    tmp = directory / f".{chart_id}.tmp"
    tmp.write_bytes(png)
    os.replace(tmp, directory / f"{chart_id}.png")
    return chart_id


def chart_url(chart_id: str) -> str:
    """The gateway path of a chart."""
    return f"{URL_PREFIX}{chart_id}.png"


def chart_path(
    chart_id: str, directory: Path, max_age: float = DEFAULT_MAX_AGE
) -> Path | None:
    """The file of a stored chart, or None (bad id, missing or expired file)."""
    if not CHART_ID.match(chart_id or ""):
        return None
    path = directory / f"{chart_id}.png"
    try:
        fresh = time.time() - path.stat().st_mtime <= max_age
    except OSError:
        return None
    return path if fresh and path.is_file() else None
