"""Drafted cards: the starting text, and the checks a card passes before it may be published —
a published card is parsed by the knowledge base exactly as the checks read it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from core.config import REPO_ROOT
from curation.card_text import check_card, find_card_text, starting_text, topics_in
from knowledge.cards import parse_card

TOPICS = topics_in(REPO_ROOT / "knowledge" / "cards")
GOOD = """---
id: staff-dog-registration
title: "Đăng ký nuôi chó ở đâu?"
topic: residence
audience: [citizen]
sources:
  - title: "UBND xã — hướng dẫn"
    url: "https://example.gov.vn/huong-dan"
    date: 2026-11-01
last_reviewed: 2026-12-05
confidence: confirmed
questions:
  - "Đăng ký nuôi chó ở đâu?"
---

Bạn đăng ký tại UBND xã, phường nơi cư trú.
"""


def test_a_complete_card_passes_and_reads_as_the_knowledge_base_reads_it() -> None:
    check = check_card(GOOD, TOPICS)
    assert check.ok, check.problems
    card = parse_card(GOOD)
    assert (check.card_id, check.title, check.topic, check.body) == (
        card.id, card.title, card.topic, card.body)
    assert [s.url for s in check.sources] == [s.url for s in card.sources]


def test_every_missing_part_is_named_in_vietnamese() -> None:
    text = GOOD.replace("id: staff-dog-registration", "id: Thẻ Mới").replace(
        "topic: residence", "topic: pets").replace('    url: "https://example.gov.vn/huong-dan"\n',
                                                   "").replace("last_reviewed: 2026-12-05", "")
    problems = " ".join(check_card(text, TOPICS).problems)
    for part in ("Mã thẻ", "Chủ đề", "nguồn", "Ngày rà soát"):
        assert part in problems


def test_personal_numbers_and_broken_front_matter_are_refused() -> None:
    assert not check_card(GOOD.replace("nơi cư trú", "gọi 0912345678"), TOPICS).ok
    assert "YAML" in check_card("---\nid: [x\n---\nbody", TOPICS).problems[0]
    assert check_card("no front matter", TOPICS).problems
    assert not check_card(GOOD + "x" * 20_001, TOPICS).ok


def test_the_starting_text_carries_the_question_masked() -> None:
    text = starting_text("CCCD 001203004567 làm lại ở đâu?", dt.date(2026, 12, 5))
    meta = yaml.safe_load(text.split("---")[1])
    assert len(meta["questions"]) == 1 and "làm lại ở đâu?" in meta["questions"][0]
    assert "001203004567" not in text
    assert meta["last_reviewed"] == "2026-12-05"
    assert not check_card(text, TOPICS).ok  # staff must fill it in


def test_a_card_to_correct_is_found_published_copy_first(tmp_path: Path) -> None:
    published = tmp_path / "published" / "vneid"
    published.mkdir(parents=True)
    (published / "vneid-activate.md").write_text("corrected", encoding="utf-8")
    cards = REPO_ROOT / "knowledge" / "cards"
    assert find_card_text("vneid-activate", [tmp_path / "published", cards]) == "corrected"
    assert find_card_text("vneid-activate", [tmp_path / "none", cards]).startswith("---")
    assert find_card_text("../../etc/passwd", [cards]) is None
