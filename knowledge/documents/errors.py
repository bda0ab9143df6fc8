"""The one error type of document ingestion."""

from __future__ import annotations

from pathlib import Path


class IngestError(ValueError):
    """A file that cannot be ingested; the message is one line, Vietnamese / English."""

    def __init__(self, reason: str, path: str | Path | None = None) -> None:
        self.reason = reason
        self.path = Path(path) if path is not None else None
        super().__init__(f"{self.path.name}: {reason}" if self.path else reason)
