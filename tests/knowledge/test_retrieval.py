"""Store and hybrid retrieval: both variants stored, fusion by rank, reload after ingestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import KnowledgeSettings
from knowledge.cards import Source
from knowledge.ingest import ingest
from knowledge.retrieval import Retriever
from knowledge.service import build_retriever
from knowledge.store import VectorStore, open_store
from knowledge.units import Unit
from tests.knowledge.test_ingest import write_card


def unit(uid: str, title: str, body: str, questions: tuple[str, ...] = ()) -> Unit:
    from knowledge.lexical import terms

    passage = "\n".join([title, *questions, body])
    return Unit(
        id=f"card:{uid}",
        kind="card",
        source=f"{uid}.md",
        source_hash="h",
        title=title,
        passage=passage,
        body=body,
        lexical=" ".join(terms(passage)),
        card_id=uid,
        sources=(Source(title="Nguồn thử", number="01/HD", date="2025-01-02"),),
        questions=questions,
        topic="vneid",
        valid_from="2024-07-01",
    )


@pytest.fixture
def store(settings: KnowledgeSettings) -> VectorStore:
    store = open_store(settings)
    store.add_units(
        [
            unit(
                "passcode",
                "Quên passcode VNeID",
                "Chọn quên passcode, nhập OTP.",
                ("quên passcode",),
            ),
            unit("level2", "Đăng ký mức 2", "Mang thẻ căn cước đến công an xã.", ("làm mức 2",)),
            unit("fees", "Nộp lệ phí trực tuyến", "Thanh toán qua cổng dịch vụ công."),
        ]
    )
    return store


def test_units_round_trip_through_the_store(store: VectorStore) -> None:
    got = {u.id: u for u in store.units()}
    assert set(got) == {"card:passcode", "card:level2", "card:fees"}
    one = got["card:passcode"]
    assert one.sources[0].number == "01/HD" and one.questions == ("quên passcode",)
    assert one.valid_from == "2024-07-01"
    assert store.count_units() == 3
    assert store.sources() == {"passcode.md": "h", "level2.md": "h", "fees.md": "h"}


def test_each_unit_is_stored_as_written_and_folded(store: VectorStore) -> None:
    entries = store.collection.get(include=["documents"])
    docs = dict(zip(entries["ids"], entries["documents"], strict=True))
    assert docs["card:passcode#b"].startswith("Quên passcode VNeID")
    assert docs["card:passcode#b~"].startswith("Quen passcode VNeID")
    assert docs["card:passcode#q0~"] == "quen passcode"


def test_collection_uses_cosine_distance(store: VectorStore) -> None:
    config = store.collection.configuration_json
    assert config["hnsw"]["space"] == "cosine"


def test_modes_find_the_unit(store: VectorStore) -> None:
    retriever = Retriever(store)
    for mode in ("bm25", "dense", "hybrid"):
        hits = retriever.search("quen passcode vneid", mode=mode)
        assert hits[0].unit.id == "card:passcode", mode
    with pytest.raises(ValueError):
        retriever.search("x", mode="magic")


def test_hybrid_score_is_reciprocal_rank_fusion(store: VectorStore) -> None:
    retriever = Retriever(store, rrf_k=5)
    best = retriever.search("quên passcode", mode="hybrid")[0]
    assert best.lexical_rank == 1 and best.dense_rank == 1
    assert best.score == pytest.approx(2 / (5 + 1))


def test_delete_source_removes_every_entry(store: VectorStore) -> None:
    assert store.delete_source("fees.md") == 1
    ids = store.collection.get(include=[])["ids"]
    assert not any(i.startswith("card:fees") for i in ids)


def test_empty_query_and_empty_store_return_nothing(settings: KnowledgeSettings) -> None:
    retriever = Retriever(open_store(settings))
    assert retriever.search("quên passcode") == []


def test_running_retriever_sees_another_ingestion(
    settings: KnowledgeSettings, tmp_path: Path
) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    write_card(folder, "alpha", "Thẻ alpha", "Nội dung về alpha.")
    settings = settings.model_copy(update={"cards_dir": folder})
    retriever = build_retriever(settings)
    assert [u.id for u in retriever.units] == ["card:alpha"]
    write_card(folder, "beta", "Thẻ beta", "Hướng dẫn riêng về beta.")
    ingest(open_store(settings), [folder], progress=False)  # as `python -m knowledge ingest`
    retriever.refresh_if_changed()
    assert {u.id for u in retriever.units} == {"card:alpha", "card:beta"}
    assert retriever.search("huong dan beta")[0].unit.id == "card:beta"


def test_equal_fused_scores_go_to_the_closer_meaning_then_the_wider_coverage() -> None:
    from knowledge.retrieval import Hit, best_first

    tie = 1 / 6 + 1 / 7  # first on one index, second on the other
    a = Hit(unit("a-card", "A", "x"), tie, coverage=0.78, similarity=0.922)
    b = Hit(unit("b-card", "B", "y"), tie, coverage=1.0, similarity=0.952)
    c = Hit(unit("c-card", "C", "z"), tie, coverage=0.9, similarity=0.952)
    top = Hit(unit("z-card", "Z", "w"), 0.5, coverage=0.1, similarity=0.8)
    assert [h.unit.card_id for h in best_first([a, c, top, b])] == [
        "z-card", "b-card", "c-card", "a-card"
    ]
