"""The NLU examples as text for the restorer: annotations reduced, broken files skipped."""

from __future__ import annotations

from pathlib import Path

from knowledge.asking import asking_texts
from vntext.restore import DiacriticRestorer


def test_intent_examples_become_plain_text(tmp_path: Path) -> None:
    (tmp_path / "topic").mkdir()
    (tmp_path / "topic" / "a.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: ask_indicator\n    examples: |\n'
        "      - số liệu của [tỉnh Lào Cai](province) năm nay\n"
        '      - tỷ lệ [kích hoạt]{"entity": "indicator"} bao nhiêu\n'
        "  - lookup: province\n    examples: |\n      - Lào Cai\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.yml").write_text("nlu: [unclosed", encoding="utf-8")
    assert asking_texts(tmp_path) == [
        "số liệu của tỉnh Lào Cai năm nay",
        "tỷ lệ kích hoạt bao nhiêu",
    ]
    assert asking_texts(tmp_path / "missing") == []


def test_the_project_nlu_examples_teach_everyday_asking_words() -> None:
    texts = asking_texts(Path(__file__).resolve().parents[2] / "nlu_data")
    assert len(texts) > 1000
    restorer = DiacriticRestorer.from_texts(texts)
    assert restorer.restore("vay toi phai lam sao") == "vậy tôi phải làm sao"
