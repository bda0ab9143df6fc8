"""Chunking: sentence-aligned pieces of a document, each with its section heading.

Sentences come from ``underthesea.sent_tokenize`` and are never split unless one alone is
longer than ``max_chars``. Headings start a new chunk and stay with the text after them;
a list is kept in one chunk when it fits. Offsets refer to the input text, so
``text[c.start:c.end] == c.text`` for every chunk ``c``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vntext import fold_accents, split_sentences

_MD_HEADING = re.compile(r"#{1,6}\s+\S")
_SECTION = re.compile(r"(?i:chuong|muc|phan|dieu|tieu muc)\s+(?:[IVXLCDM]+|\d+[a-z]?)\b")
_NUMBERED = re.compile(r"(?:[IVXLCDM]+|\d+(?:\.\d+)*)[.)]\s+\S")
_LIST_ITEM = re.compile(r"(?:[-–•*+▪●○◦]|\d+(?:\.\d+)*[.)]|[a-zđ][.)])\s+\S")
_ENUMERATOR = re.compile(r"(?:[-–•*+▪●○◦]|\d+(?:\.\d+)*[.)]?|[IVXLCDM]+[.)]|[a-zđ][.)])")
_TERMINAL = tuple(".!?…:;")
_CLAUSE_END = re.compile(r"[,;:)\]–—](?=\s)")
_SPACE = re.compile(r"\s")
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_FALLBACK = re.compile(r"(?<=[.!?…])\s+(?=[^\s\w]*[\w])")
_MAX_HEADING = 200
_SHORT_LINE = 60


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: ``text == document[start:end]``, under ``heading``."""

    text: str
    heading: str | None
    index: int
    start: int
    end: int


@dataclass(frozen=True)
class _Piece:
    """An unbreakable span: a heading line or a sentence (part of a too-long one)."""

    start: int
    end: int
    heading: str | None = None  # set for heading lines


@dataclass
class _Unit:
    """A heading line, a list item or a paragraph, with its span and its pieces."""

    kind: str  # "heading" | "item" | "paragraph"
    start: int
    end: int
    pieces: list[_Piece]


# --- lines -----------------------------------------------------------------------------


def _line_kind(line: str) -> str:
    """ "heading", "numbered" (heading or list item), "item", "paragraph" or "blank"."""
    line = line.strip()
    if not line:
        return "blank"
    if _MD_HEADING.match(line):
        return "heading"
    if len(line) <= _MAX_HEADING and _SECTION.match(fold_accents(line)):
        return "heading"  # Chương I, Mục 2, Điều 5. ...
    words = _WORD.findall(line)
    if len(words) >= 2 and line == line.upper() and len(line) <= 120:
        return "heading"  # QUYẾT ĐỊNH, I. KẾT QUẢ ĐẠT ĐƯỢC
    if _NUMBERED.match(line) and len(line) <= 100 and not line.endswith(_TERMINAL + (",",)):
        return "numbered"  # "1. Kết quả đạt được", or a short item of a numbered list
    if _LIST_ITEM.match(line):
        return "item"
    return "paragraph"


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every line; ``end`` excludes the newline and trailing spaces.

    A short numbered line is a heading ("1. Kết quả đạt được") unless a neighbouring line
    is numbered too, which makes both items of one list.
    """
    lines = []
    pos = 0
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip())
        lines.append((pos + lead, pos + len(line.rstrip()), _line_kind(line)))
        pos += len(line) + 1
    filled = [ln for ln in lines if ln[2] != "blank"]
    numbered = [bool(_NUMBERED.match(text[s:e])) for s, e, _ in filled]
    kinds = {}
    for i, (s, _, kind) in enumerate(filled):
        if kind == "numbered":
            in_list = (i > 0 and numbered[i - 1]) or (i + 1 < len(filled) and numbered[i + 1])
            kinds[s] = "item" if in_list else "heading"
    return [(s, e, kinds.get(s, kind)) for s, e, kind in lines]


def _soft_break(text: str, prev: tuple[int, int, str], nxt: tuple[int, int, str]) -> bool:
    """A line break inside a sentence: a wrapped line of a PDF or of hard-wrapped text."""
    if nxt[2] != "paragraph":
        return False
    first = text[nxt[0]]
    if first.isalpha() and first.islower():
        return True
    return prev[1] - prev[0] >= _SHORT_LINE and not text[prev[0] : prev[1]].endswith(_TERMINAL)


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    previous: tuple[int, int, str] | None = None
    for line in _lines(text):
        start, end, kind = line
        if kind == "blank":
            previous = None
            continue
        joins = (
            previous is not None
            and units
            and units[-1].kind != "heading"
            and _soft_break(text, previous, line)
        )
        if joins:
            units[-1].end = end
        else:
            units.append(_Unit(kind, start, end, []))
        previous = line
    return units


# --- sentences -------------------------------------------------------------------------


def _align(sentences: list[str], text: str, base: int) -> list[tuple[int, int]] | None:
    """Spans of ``sentences`` in ``text`` comparing non-space characters; None on mismatch."""
    spans: list[tuple[int, int]] = []
    i = 0
    for sentence in sentences:
        chars = [ch for ch in sentence if not ch.isspace()]
        if not chars:
            continue
        start = None
        k = 0
        while i < len(text) and k < len(chars):
            if text[i].isspace():
                i += 1
                continue
            if text[i] != chars[k]:
                return None
            start = i if start is None else start
            k += 1
            i += 1
        if k < len(chars) or start is None:
            return None
        spans.append((base + start, base + i))
    if not spans or text[i:].strip():
        return None
    return spans


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``: underthesea, enumerators joined to what follows."""
    part = text[start:end]
    try:
        spans = _align(split_sentences(part), part, start)
    except Exception:  # a tokenizer failure must not lose text
        spans = None
    if spans is None:
        spans, pos = [], 0
        for m in _SENTENCE_FALLBACK.finditer(part):
            spans.append((start + pos, start + m.start()))
            pos = m.end()
        spans.append((start + pos, end))
    joined: list[tuple[int, int]] = []
    for s, e in spans:  # a boundary inside a token ("example.vn") is no boundary
        if joined and s == joined[-1][1]:
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in joined:
        if _ENUMERATOR.fullmatch(text[s:e]):
            pending = s if pending is None else pending
            continue
        merged.append((s if pending is None else pending, e))
        pending = None
    if pending is not None:
        merged.append((pending, end))
    return merged


def split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut a span longer than ``max_chars`` at clause punctuation, else at whitespace.

    A token longer than ``max_chars`` with no whitespace in it stays whole.
    """
    spans = []
    while end - start > max_chars:
        window = text[start : start + max_chars + 1]
        cut = None
        clause = [m.end() for m in _CLAUSE_END.finditer(window) if m.end() <= max_chars]
        if clause and clause[-1] >= max_chars // 3:
            cut = clause[-1]
        else:
            spaces = [m.start() for m in _SPACE.finditer(window)]
            cut = spaces[-1] if spaces and spaces[-1] > 0 else None
        if cut is None:  # one long token: keep it whole, cut at the next space
            m = _SPACE.search(text, start + max_chars, end)
            if m is None:
                break
            cut = m.start() - start
        piece_end = start + cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        spans.append((start, piece_end))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        spans.append((start, end))
    return spans


# --- packing ---------------------------------------------------------------------------


class _Packer:
    """Greedy packing of pieces into chunks of at most ``max_chars`` characters."""

    def __init__(self, max_chars: int, overlap: int) -> None:
        self.max_chars = max_chars
        self.overlap = overlap
        self.spans: list[tuple[int, int, str | None]] = []
        self.current: list[_Piece] = []
        self.carried = 0  # leading pieces of ``current`` repeated from the previous chunk
        self.heading: str | None = None

    def _fits(self, first: _Piece, last: _Piece) -> bool:
        return last.end - first.start <= self.max_chars

    def _emit(self) -> None:
        if len(self.current) > self.carried:
            self.spans.append((self.current[0].start, self.current[-1].end, self.heading))

    def add_heading(self, piece: _Piece) -> None:
        """A heading ends the chunk before it (no overlap) and stays with what follows."""
        if any(p.heading is None for p in self.current[self.carried :]):
            self._emit()
            self.current = []
        elif self.carried:
            self.current = []
        self.carried = 0
        if self.current and not self._fits(self.current[0], piece):
            self._emit()
            self.current = []
        self.current.append(piece)
        self.heading = piece.heading

    def _only_headings(self) -> bool:
        return all(p.heading is not None for p in self.current[self.carried :])

    def _next_chunk(self, upcoming: _Piece) -> None:
        """Emit the current chunk; start the next with the last sentences when they fit."""
        self._emit()
        tail = (
            [p for p in self.current if p.heading is None][-self.overlap :] if self.overlap else []
        )
        while tail and not self._fits(tail[0], upcoming):
            tail = tail[1:]
        self.current, self.carried = list(tail), len(tail)

    def add(self, group: list[_Piece], parts: list[list[_Piece]]) -> None:
        """Place pieces that should stay together; ``parts`` are how to split them."""
        whole = self._fits(group[0], group[-1])
        if len(parts) == 1:
            parts = [[p] for p in group]  # one list item: its sentences
        if self.current and self._fits(self.current[0], group[-1]):
            self.current.extend(group)
            return
        if whole and self.current and self.carried == len(self.current):
            self.current, self.carried = [], 0  # drop the overlap rather than split the group
        if whole and not self.current:
            self.current.extend(group)
            return
        if len(parts) > 1 and (not whole or self._only_headings()):
            for part in parts:  # too long, or its start can still join the heading
                self.add(part, [[p] for p in part])
            return
        if self.current:
            self._next_chunk(group[0])
            if self.current and not self._fits(self.current[0], group[-1]):
                self.current, self.carried = [], 0
        self.current.extend(group)

    def finish(self) -> list[tuple[int, int, str | None]]:
        self._emit()
        return self.spans


def _heading_text(line: str) -> str:
    return line.lstrip("#").strip()


def chunk(text: str, max_chars: int = 900, overlap_sentences: int = 1) -> list[Chunk]:
    """Split ``text`` into chunks of whole sentences, at most ``max_chars`` long.

    Each chunk repeats the last ``overlap_sentences`` sentences of the previous chunk of the
    same section and carries the heading it falls under.
    """
    if max_chars < 1 or overlap_sentences < 0:
        raise ValueError("max_chars must be positive and overlap_sentences not negative")
    units = _units(text)
    for unit in units:
        if unit.kind == "heading":
            spans = [(unit.start, unit.end)]
            heading: str | None = _heading_text(text[unit.start : unit.end])
        else:
            spans, heading = _sentences(text, unit.start, unit.end), None
        unit.pieces = [
            _Piece(s, e, heading)
            for span in spans
            for s, e in split_long(text, span[0], span[1], max_chars)
        ]

    packer = _Packer(max_chars, overlap_sentences)
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind == "heading":
            for piece in unit.pieces:
                packer.add_heading(piece)
            i += 1
        elif unit.kind == "item":  # a list: the run of consecutive items
            j = i
            while j < len(units) and units[j].kind == "item":
                j += 1
            items = [u.pieces for u in units[i:j]]
            packer.add([p for item in items for p in item], items)
            i = j
        else:
            for piece in unit.pieces:
                packer.add([piece], [[piece]])
            i += 1
    return [
        Chunk(text[s:e], heading, index, s, e)
        for index, (s, e, heading) in enumerate(packer.finish())
    ]
