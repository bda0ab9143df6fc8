"""Ingestion: cards and documents into the vector store, idempotent by content hash.

A changed file is replaced, an unchanged one skipped, a file gone from an ingested folder is
deleted from the index. A file that cannot be used is reported in one line and skipped; what
the index already holds for it stays.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.cards import CardError, parse_card
from knowledge.documents import IngestError, load_document
from knowledge.index_cache import text_fingerprint
from knowledge.store import VectorStore
from knowledge.units import Unit, source_key, unit_from_card, units_from_document

logger = logging.getLogger(__name__)

_SKIPPED_NAMES = {"readme.md"}


@dataclass
class IngestReport:
    """What one ingestion run did, file by file."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    units_written: int = 0
    units_total: int = 0

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary(self) -> str:
        """One Vietnamese line for staff."""
        return (
            f"Xong: {len(self.added)} tệp mới, {len(self.replaced)} tệp cập nhật, "
            f"{len(self.unchanged)} tệp không đổi, {len(self.removed)} tệp đã gỡ khỏi chỉ mục, "
            f"{len(self.skipped)} tệp bỏ qua; {self.units_written} đoạn được ghi, "
            f"chỉ mục hiện có {self.units_total} đoạn."
        )


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes and of the shared text code that indexes it: after that code
    changes (word segmentation, normalisation), every file is ingested again rather than
    served with terms the code no longer makes."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(text_fingerprint().encode())
    return digest.hexdigest()


def _front_matter(text: str) -> dict:
    if not text.startswith("---"):
        return {}
    try:
        header = text.split("---", 2)[1]
        data = yaml.safe_load(header)
    except (IndexError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def is_card_file(path: Path) -> bool:
    """A Markdown file whose front matter names an id and a topic is a knowledge card."""
    if path.suffix.lower() != ".md":
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    meta = _front_matter(text)
    return bool(meta.get("id")) and bool(meta.get("topic"))


def read_units(path: Path, source: str, digest: str) -> list[Unit]:
    """Units of one file; raises IngestError with a one-line reason when it cannot be used."""
    if is_card_file(path):
        try:
            card = parse_card(path.read_text(encoding="utf-8"), path)
        except CardError as exc:
            raise IngestError(f"thẻ kiến thức không hợp lệ — {exc}", path) from exc
        return [unit_from_card(card, source, digest)]
    document = load_document(path)
    units = units_from_document(document, source)
    if not units:
        raise IngestError("không có nội dung để nạp (empty document)", path)
    return [Unit(**{**u.__dict__, "source_hash": digest}) for u in units]


def expand(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """(files to ingest, folders scanned, paths that do not exist)."""
    files: list[Path] = []
    folders: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path)
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.name.lower() not in _SKIPPED_NAMES
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, folders, missing


def _progress(items: list[Path], enabled: bool | None) -> Iterable[Path]:
    if enabled is False or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="Nạp tài liệu", unit="tệp", disable=None if enabled is None else False)


def ingest(
    store: VectorStore,
    paths: Sequence[str | Path],
    *,
    progress: bool | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    exclude: Collection[Path] = (),
) -> IngestReport:
    """Brings the index in line with ``paths`` (files and folders).

    Files in ``exclude`` are left out of their folder and taken out of the index first, so that
    a file overriding one of them (a published correction of a card, same ids) can take its
    place in the same run.
    """
    report = IngestReport()
    files, folders, missing = expand([Path(p) for p in paths])
    unit_sources = store.unit_sources()  # one metadata scan serves both maps
    indexed = dict(unit_sources.values())
    owners = {unit_id: source for unit_id, (source, _) in unit_sources.items()}

    # removals first (excluded files, files gone from a scanned folder), so that their ids
    # are free for a file that now carries them
    excluded = {source_key(path) for path in exclude}
    files = [path for path in files if source_key(path) not in excluded]
    present = {source_key(path) for path in files}
    prefixes = tuple(source_key(folder).rstrip("/") + "/" for folder in folders)
    gone = {key for key in indexed if key.startswith(prefixes) and key not in present}
    for key in sorted((excluded & indexed.keys()) | gone):
        store.delete_source(key)
        report.removed.append(key)
        indexed.pop(key)
    owners = {unit_id: owner for unit_id, owner in owners.items() if owner in indexed}

    for path in missing:
        key = source_key(path)
        if key in indexed:
            store.delete_source(key)
            report.removed.append(key)
        else:
            _skip(report, str(path), "không tìm thấy tệp hoặc thư mục (not found)", on_skip)

    for path in _progress(files, progress):
        key = source_key(path)
        try:
            digest = file_hash(path)
            if indexed.get(key) == digest:
                report.unchanged.append(key)
                continue
            units = read_units(path, key, digest)
            clash = next((u.id for u in units if owners.get(u.id, key) != key), None)
            if clash:
                raise IngestError(f"mã '{clash}' đã có trong tệp {owners[clash]}", path)
        except (IngestError, OSError) as exc:
            _skip(report, key, str(exc), on_skip)
            continue
        if key in indexed:
            store.delete_source(key)
            report.replaced.append(key)
        else:
            report.added.append(key)
        store.add_units(units)
        owners.update({u.id: key for u in units})
        report.units_written += len(units)

    report.units_total = store.count_units()
    return report


def _skip(
    report: IngestReport, name: str, reason: str, on_skip: Callable[[str, str], None] | None
) -> None:
    report.skipped.append((name, reason))
    logger.warning("ingest skipped %s: %s", name, reason)
    if on_skip:
        on_skip(name, reason)
