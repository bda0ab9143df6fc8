"""Card files: parsing, validation errors, and the shipped knowledge base itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import REPO_ROOT
from knowledge.cards import CardError, Source, load_cards, parse_card
from knowledge.grain import sections
from vntext.citations import MAX_CITED_TITLE

GOOD = """---
id: sample
title: Mẫu
topic: vneid
sources:
  - title: Báo mẫu
    number: NĐ 69/2024/NĐ-CP
    date: 2024-06-25
    url: https://example.gov.vn
valid_from: 2024-07-01
questions: [Hỏi một, Hỏi hai, hoi ba]
---
Nội dung **quan trọng**.
"""


def test_parse_card_reads_metadata_and_body() -> None:
    card = parse_card(GOOD)
    assert card.id == "sample" and card.topic == "vneid"
    assert card.sources[0].cite() == "NĐ 69/2024/NĐ-CP, ngày 25/06/2024 (Báo mẫu)"
    assert card.valid_from == "2024-07-01"
    assert card.questions == ("Hỏi một", "Hỏi hai", "hoi ba")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no front matter", "missing front matter"),
        ("---\nid: [unclosed\n---\nbody", "not valid YAML"),
        ("---\ntitle: x\ntopic: y\n---\nbody", "lacks 'id'"),
        ("---\nid: x\ntitle: x\ntopic: y\n---\n   ", "no text"),
    ],
)
def test_broken_cards_are_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(CardError, match=reason):
        parse_card(text)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CardError, match="duplicate"):
        load_cards(tmp_path)


def test_shipped_cards_are_complete() -> None:
    cards = load_cards(REPO_ROOT / "knowledge" / "cards")
    assert len(cards) >= 60
    for card in cards:
        assert card.path is not None and card.path.stem == card.id
        # a source is a page (url) or a legal document by its number
        assert card.sources and all(s.url or s.number for s in card.sources), card.id
        assert len(card.questions) >= 3, card.id
        assert card.confidence in {"confirmed", "uncertain"}, card.id
        assert set(card.audience) <= {"citizen", "staff", "official"}, card.id


def test_shipped_cards_headings_are_read_and_filled() -> None:
    """A bold line meant as a heading but too long for the parser is silently body text, and
    an empty heading chooses a section with nothing to say: either one hides the asked fact
    from a question at its grain (knowledge.grain)."""
    for card in load_cards(REPO_ROOT / "knowledge" / "cards"):
        headings = {s.heading for s in sections(card.body)}
        for line in card.body.splitlines():
            bold = re.fullmatch(r"\s*\*\*([^*]+)\*\*\s*:?\s*", line)
            if bold:
                assert bold.group(1).strip() in headings, (card.id, line)
        for section in sections(card.body):
            assert not section.heading or section.text, (card.id, section.heading)


def test_a_source_is_cited_to_readers_without_the_editors_notes() -> None:
    law = Source(
        "Luật Cư trú 2020 — Điều 25 (tách hộ: điều kiện khoản 1; đọc qua bản chép công khai)",
        number="68/2020/QH14",
    )
    assert law.cite() == "68/2020/QH14 (Luật Cư trú 2020 — Điều 25)"
    circular = Source(
        "Thông tư 117/2026/TT-BTC ngày 14/8/2026, Điều 1 (miễn lệ phí: khoản 2…)",
        number="117/2026/TT-BTC", date="2026-08-14",
    )
    assert circular.cite() == "Thông tư 117/2026/TT-BTC ngày 14/8/2026, Điều 1"
    decision = Source("Quyết định 759/QĐ-TTg phê duyệt Đề án", number="QĐ 759/QĐ-TTg")
    assert decision.cite() == "Quyết định 759/QĐ-TTg phê duyệt Đề án"
    page = Source("Công an tỉnh Phú Thọ — thủ tục Tách hộ (cấp xã): tờ khai CT01", date="2026-07")
    assert page.cite() == "Công an tỉnh Phú Thọ — thủ tục Tách hộ, tháng 7/2026"
    assert len(Source("Tiêu đề " * 60).cite()) <= MAX_CITED_TITLE + 1
