"""A drafted card's Markdown: the starting text staff edit, and the checks it must pass before
an admin may publish it (the knowledge base parses it again when it is ingested; these checks
add what a published card needs beyond a parseable one: sources, a review date, no personal
numbers)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from vntext import mask_pii

CARD_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONFIDENCE = ("confirmed", "uncertain")
MAX_TEXT_CHARS = 20_000


@dataclass(frozen=True)
class CardSource:
    title: str
    url: str
    date: str | None = None


@dataclass(frozen=True)
class CardCheck:
    """What a draft says, as the console previews it, and what is wrong with it."""

    card_id: str = ""
    title: str = ""
    topic: str = ""
    questions: tuple[str, ...] = ()
    sources: tuple[CardSource, ...] = ()
    body: str = ""
    confidence: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value).strip()


def _split(text: str) -> tuple[dict, str] | str:
    """(front matter, body), or the reason the text has no readable front matter."""
    if not text.startswith("---"):
        return "Thẻ phải bắt đầu bằng phần thông tin đặt giữa hai dòng ---."
    try:
        _, header, body = text.split("---", 2)
        meta = yaml.safe_load(header) or {}
    except ValueError:
        return "Thiếu dòng --- đóng phần thông tin của thẻ."
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark is not None else ""
        return f"Phần thông tin của thẻ không đúng cú pháp YAML{where}."
    if not isinstance(meta, dict):
        return "Phần thông tin của thẻ phải là các dòng 'tên: giá trị'."
    return meta, body.strip()


def _sources(raw: object, problems: list[str]) -> tuple[CardSource, ...]:
    sources = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        title, url = _as_text(item.get("title")), _as_text(item.get("url"))
        if not title or not re.match(r"^https?://\S+$", url):
            problems.append("Mỗi nguồn cần có tên (title) và địa chỉ http(s) (url).")
            continue
        sources.append(CardSource(title, url, _as_text(item.get("date")) or None))
    if not sources:
        problems.append("Thẻ cần ít nhất một nguồn có tên và địa chỉ trang (sources).")
    return tuple(sources)


def check_card(text: str, topics: frozenset[str]) -> CardCheck:
    """Reads a drafted card and lists, in Vietnamese, every reason it may not be published."""
    if len(text) > MAX_TEXT_CHARS:
        return CardCheck(problems=(f"Thẻ dài quá {MAX_TEXT_CHARS:,} ký tự.".replace(",", "."),))
    split = _split(text.replace("\r\n", "\n"))
    if isinstance(split, str):
        return CardCheck(problems=(split,))
    meta, body = split
    problems: list[str] = []
    card_id, title, topic = (_as_text(meta.get(k)) for k in ("id", "title", "topic"))
    if not CARD_ID.match(card_id) or len(card_id) > 100:
        problems.append("Mã thẻ (id) chỉ gồm chữ thường không dấu, số và dấu gạch ngang.")
    if not title:
        problems.append("Thẻ cần tiêu đề (title).")
    if topic not in topics:
        problems.append("Chủ đề (topic) phải là một trong: " + ", ".join(sorted(topics)) + ".")
    questions = tuple(_as_text(q) for q in meta.get("questions") or [] if _as_text(q))
    if not questions:
        problems.append("Thẻ cần ít nhất một câu hỏi mẫu (questions), ví dụ câu người dân đã hỏi.")
    sources = _sources(meta.get("sources"), problems)
    try:
        dt.date.fromisoformat(_as_text(meta.get("last_reviewed")))
    except ValueError:
        problems.append("Ngày rà soát (last_reviewed) phải có dạng NNNN-TT-NN.")
    confidence = _as_text(meta.get("confidence")) or "confirmed"
    if confidence not in CONFIDENCE:
        problems.append("Độ tin cậy (confidence) là confirmed hoặc uncertain.")
    if not body:
        problems.append("Thẻ chưa có nội dung trả lời.")
    if mask_pii(text) != text:
        problems.append("Thẻ có số giấy tờ hoặc số điện thoại cá nhân; hãy bỏ đi.")
    return CardCheck(card_id, title, topic, questions, sources, body, confidence, tuple(problems))


def topics_in(cards_dir: Path) -> frozenset[str]:
    """The topics cards are filed under (the cards folder's sub-folders)."""
    return frozenset(p.name for p in cards_dir.iterdir() if p.is_dir())


def find_card_text(card_id: str, folders: list[Path]) -> str | None:
    """The Markdown of the card with this id (cards are files named by their id; the first
    folder wins, so a published correction is what is corrected next time)."""
    if not CARD_ID.match(card_id):
        return None
    for folder in folders:
        for path in sorted(folder.rglob(f"{card_id}.md")) if folder.is_dir() else []:
            return path.read_text(encoding="utf-8")
    return None


def starting_text(question: str, today: dt.date) -> str:
    """The card staff start from for an unanswered question (the question as its first
    example, masked; everything else for them to fill)."""
    header = {
        "id": "",
        "title": "",
        "topic": "",
        "audience": ["citizen"],
        "sources": [{"title": "", "url": "", "date": ""}],
        "last_reviewed": today.isoformat(),
        "confidence": "confirmed",
        "questions": [mask_pii(question.strip())],
    }
    front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\nCâu trả lời ngắn gọn trước, rồi các chi tiết.\n"


def card_message(text: str) -> str | None:
    """A card as a message staff send to a citizen: title, the answer (Markdown emphasis
    dropped: chat bubbles show plain text) and its sources; None when it has no readable
    front matter."""
    split = _split(text.replace("\r\n", "\n"))
    if isinstance(split, str):
        return None
    meta, body = split
    title = _as_text(meta.get("title"))
    sources = [
        _as_text(s.get("title") or s.get("number"))
        for s in meta.get("sources") or [] if isinstance(s, dict)
    ]
    parts = [title, body.replace("**", "")]
    if any(sources):
        parts.append("Nguồn: " + "; ".join(s for s in sources if s))
    return "\n\n".join(p for p in parts if p)
