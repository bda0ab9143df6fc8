"""Published staff cards: synced beside the cards folder; one with a card's id replaces it."""

from __future__ import annotations

from pathlib import Path

from knowledge.service import overridden_cards, sync_cards
from knowledge.store import open_store
from tests.knowledge.conftest import hashing_settings
from tests.knowledge.test_ingest import write_card


def _settings(tmp_path: Path):
    cards = tmp_path / "cards"
    cards.mkdir()
    write_card(cards, "test-passcode", "Quên passcode", "Đặt lại passcode trong ứng dụng.")
    write_card(cards, "test-level2", "Tài khoản mức 2", "Đăng ký mức 2 tại công an xã.")
    return hashing_settings(tmp_path / "data", cards_dir=cards)


def _bodies(store) -> dict[str, str]:
    return {unit.source: unit.body for unit in store.units()}


def test_a_published_card_is_added_beside_the_cards(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = open_store(settings)
    sync_cards(store, settings)
    published = settings.published_cards_dir / "vneid"
    published.mkdir(parents=True)
    write_card(published, "staff-pet", "Đăng ký nuôi chó", "Đăng ký tại UBND xã.")
    report = sync_cards(store, settings)
    assert report.ok and len(report.added) == 1
    assert any("staff-pet" in s for s in store.sources())


def test_a_published_correction_replaces_the_card_with_its_id(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = open_store(settings)
    sync_cards(store, settings)
    published = settings.published_cards_dir / "vneid"
    published.mkdir(parents=True)
    write_card(published, "test-level2", "Tài khoản mức 2", "Đăng ký mức 2 trên VNeID hoặc ở xã.")
    assert [p.name for p in overridden_cards(settings)] == ["test-level2.md"]

    report = sync_cards(store, settings)
    assert report.ok, report.skipped
    texts = " ".join(_bodies(store).values())
    assert "trên VNeID hoặc ở xã" in texts and "Đăng ký mức 2 tại công an xã." not in texts
    assert sync_cards(store, settings).added == []  # nothing changes on the next start

    (published / "test-level2.md").unlink()  # correction withdrawn: the original comes back
    sync_cards(store, settings)
    assert "Đăng ký mức 2 tại công an xã." in " ".join(_bodies(store).values())


def test_a_broken_published_card_is_skipped_not_fatal(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = open_store(settings)
    settings.published_cards_dir.mkdir(parents=True)
    broken = "---\nid: broken\ntopic: vneid\n---\nno title"
    (settings.published_cards_dir / "broken.md").write_text(broken, encoding="utf-8")
    report = sync_cards(store, settings)
    assert [name for name, _ in report.skipped] and store.count_units() == 2
