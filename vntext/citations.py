"""Sources as cited to a reader: a card's or record's source title keeps, after its first
bracket or semicolon, the editor's record of what was read where (a transcript, a clause, a
caveat); readers get the title up to there. (A colon often introduces what was read — "đề mục
Hộ tịch: Điều 9 Luật Hộ tịch" — and is kept.)"""

from __future__ import annotations

import re

# what follows is the editor's note, not the title
_TITLE_NOTE = re.compile(r"\s*[(;]")
MAX_CITED_TITLE = 140
SHORT_TITLE_FROM = 8  # an opening bracket is part of the title


def short_title(title: str) -> str:
    """``title`` up to its first bracket or semicolon, at most ``MAX_CITED_TITLE``
    characters (cut at a word)."""
    note = _TITLE_NOTE.search(title, SHORT_TITLE_FROM)
    head = (title[: note.start()] if note else title).strip().rstrip(",.;—–- ").strip()
    if len(head) > MAX_CITED_TITLE:
        head = head[:MAX_CITED_TITLE].rsplit(" ", 1)[0].rstrip(",.;—–- ") + "…"
    return head


def names_number(title: str, number: str) -> bool:
    """``title`` names the document ``number`` ("Quyết định 759/QĐ-TTg …" names "QĐ
    759/QĐ-TTg": from its first digit on)."""
    digit = re.search(r"\d", number)
    return (number[digit.start():] if digit else number) in title
