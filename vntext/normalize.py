"""Normalisation of Vietnamese text: NFC, one tone-mark placement, abbreviations, folding.

Every step keeps a map from each output character back to the span it came from in
the input, so a tokenizer can report offsets into the user's original message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from vntext.abbreviations import ABBREVIATIONS, AMBIGUOUS_WITH_DIACRITICS

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# a word's letters with any combining mark NFC left standing after them ("Ý" + a second
# tone): a syllable that carries two tones is not one whose tone can be moved
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
# An open syllable ending in oa/oe/uy with its tone written on the second vowel
# (old style "hoà", "khoẻ", "thuỷ"); in NFD the tone mark follows its vowel.
_OLD_STYLE = re.compile(
    rf"^(?P<onset>[^aeiouy\W\d_]*)(?P<v1>[ou])(?P<v2>[aey])(?P<tone>[{TONE_MARKS}])$",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
# C0 and C1 controls, zero-width and bidirectional formatting characters (an override can
# make a log line or a reply read differently from what it holds)
_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f"
    r"\u202a-\u202e\u2066-\u2069\ufeff]"
)
_MULTI_WORD_KEYS = sorted((k for k in ABBREVIATIONS if " " in k), key=len, reverse=True)


@dataclass(frozen=True)
class Mapped:
    """Text plus, for every character, the [start, end) span it came from in the source."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering output characters [start, end)."""
        if start >= end:
            raise ValueError("empty span")
        return self.spans[start][0], self.spans[end - 1][1]


def _fix_syllable_tone(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    match = _OLD_STYLE.match(decomposed)
    if not match:
        return word
    onset, v1 = match["onset"], match["v1"]
    if v1.lower() == "u" and onset.lower().endswith("q"):
        return word  # "quý": the u belongs to the onset "qu"
    fixed = onset + v1 + match["tone"] + match["v2"]
    return unicodedata.normalize("NFC", fixed)


def normalize_tone_marks(text: str) -> str:
    """Put tone marks in one place: "hoà"→"hòa", "khoẻ"→"khỏe", "thuỷ"→"thủy"."""
    return _WORD.sub(lambda m: _fix_syllable_tone(m.group()), text)


def _nfc_with_spans(text: str) -> Mapped:
    """NFC per grapheme cluster, so each output char maps to its source cluster."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        for ch in cluster:
            chars.append(ch)
            spans.append((i, j))
        i = j
    return Mapped("".join(chars), tuple(spans))


def _clean(mapped: Mapped) -> Mapped:
    """Drop control/zero-width chars and fold runs of whitespace to one space."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for ch, span in zip(mapped.text, mapped.spans, strict=True):
        if _CONTROL.match(ch):
            continue
        if ch.isspace():
            if not chars or chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        spans.append(span)
    while chars and chars[-1] == " ":
        chars.pop()
        spans.pop()
    return Mapped("".join(chars), tuple(spans))


def _apply_per_word(mapped: Mapped, fn) -> Mapped:
    """Apply a length-preserving per-word function (tone placement)."""
    out = list(mapped.text)
    for m in _WORD.finditer(mapped.text):
        fixed = fn(m.group())
        if len(fixed) == len(m.group()):
            out[m.start() : m.end()] = fixed
    return Mapped("".join(out), mapped.spans)


def _lower(mapped: Mapped) -> Mapped:
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for ch, span in zip(mapped.text, mapped.spans, strict=True):
        for low in ch.lower():
            chars.append(low)
            spans.append(span)
    return Mapped("".join(chars), tuple(spans))


def _expand(mapped: Mapped) -> Mapped:
    """Replace whole-token abbreviations; matching ignores case, other text keeps its case."""
    original = mapped.text
    text = original.lower() if len(original.lower()) == len(original) else original
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        at_token_start = i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "-_")
        if at_token_start and (text[i].isalnum()):
            j = i
            while j < n and (text[j].isalnum() or text[j] in "-_"):
                j += 1
            token = text[i:j]
            replacement = None
            end = j
            for key in _MULTI_WORD_KEYS:
                k = len(key)
                if text[i : i + k] == key and (i + k == n or not text[i + k].isalnum()):
                    replacement, end = ABBREVIATIONS[key], i + k
                    break
            if replacement is None and token in ABBREVIATIONS:
                replacement = ABBREVIATIONS[token]
            if replacement is not None and not (
                token in AMBIGUOUS_WITH_DIACRITICS and fold_accents(token) != token
            ):
                src = (mapped.spans[i][0], mapped.spans[end - 1][1])
                for ch in replacement:
                    chars.append(ch)
                    spans.append(src)
                i = end
                continue
            chars.extend(original[i:j])
            spans.extend(mapped.spans[i:j])
            i = j
            continue
        chars.append(original[i])
        spans.append(mapped.spans[i])
        i += 1
    return Mapped("".join(chars), tuple(spans))


def normalize_mapped(text: str, *, for_matching: bool = False, lowercase: bool = True) -> Mapped:
    """Normalise ``text`` and keep the source span of every output character.

    Display form: NFC, clean whitespace, one tone-mark placement.
    Matching form (``for_matching``): additionally lower-cased and with
    abbreviations/teencode expanded ("ko"→"không", "tk"→"tài khoản"); with
    ``lowercase=False`` the case is kept (word segmentation needs capitals).
    """
    mapped = _clean(_nfc_with_spans(text))
    mapped = _apply_per_word(mapped, _fix_syllable_tone)
    if for_matching:
        mapped = _expand(_lower(mapped) if lowercase else mapped)
    return mapped


def normalize(text: str) -> str:
    """Display form: NFC, tidy whitespace, one tone-mark placement; case kept."""
    return normalize_mapped(text).text


def expand_abbreviations(text: str) -> str:
    """Expand whole-token abbreviations in already lower-cased text."""
    spans = tuple((i, i + 1) for i in range(len(text)))
    return _expand(Mapped(text, spans)).text


def normalize_for_matching(text: str) -> str:
    """Matching form used by NLU features and retrieval queries alike."""
    return normalize_mapped(text, for_matching=True).text


def fold_accents(text: str) -> str:
    """Strip Vietnamese diacritics: "Đăng ký" → "Dang ky" (length preserved)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (or đ)."""
    return fold_accents(unicodedata.normalize("NFC", text)) != unicodedata.normalize("NFC", text)


def _lower_same_length(text: str) -> str:
    """Lower case that keeps every offset (a character whose lower form is longer stays)."""
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def aligned_key(
    text: str, *, expand: bool = False, keep: str = "", fold: bool = True
) -> Mapped:
    """Matching form with offsets: like ``matching_key`` but the same length as the normalised
    text (punctuation becomes a space, nothing collapses), so a match found in ``.text`` maps
    back to ``text`` through ``source_span``."""
    mapped = normalize_mapped(text, for_matching=expand)
    low = _lower_same_length(mapped.text)
    folded = fold_accents(low) if fold else low
    chars = "".join(ch if ch.isalnum() or ch in keep else " " for ch in folded)
    return Mapped(chars, mapped.spans)


def matching_key(text: str, *, expand: bool = True, keep: str = "") -> str:
    """The one key every lookup compares: NFC, one tone-mark placement, lower case,
    abbreviations and teencode expanded (``expand``), accents folded, every character that is
    not a letter, a digit or in ``keep`` read as a space, spaces collapsed.

    "Thôi, không cần nữa!" → "thoi khong can nua"; "TP. Hà Giang" → "thanh pho ha giang"
    ("tp ha giang" with ``expand=False``).
    """
    return " ".join(aligned_key(text, expand=expand, keep=keep).text.split())


# "500.000–1.000.000 đồng", "từ 2 đến 3 triệu đồng": a range of amounts or durations whose
# unit is written once, after the upper bound
_RANGE = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)*)(\s*[-–—]\s*|\s+(?:đến|tới)\s+)(\d+(?:[.,]\d+)*)\s+"
    r"(triệu đồng|nghìn đồng|ngàn đồng|tỷ đồng|triệu|đồng|ngày làm việc|ngày|tháng|năm|tuổi"
    r"|giờ|điểm)"
    r"(?!\w)",
    re.IGNORECASE,
)


def spell_out_ranges(text: str) -> str:
    """Each bound of a range carries its unit: "phạt 500.000–1.000.000 đồng" → "phạt
    500.000 đồng–1.000.000 đồng", so that "500.000 đồng" is found in it as a whole phrase."""
    return _RANGE.sub(lambda m: f"{m[1]} {m[4]}{m[2]}{m[3]} {m[4]}", text)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[^\s\w]*[\w])")


@lru_cache(maxsize=1)
def _sentence_tokenizer() -> Callable[[str], list[str]]:
    try:
        from underthesea import sent_tokenize  # imported lazily: loading takes a few seconds
    except ImportError:  # pragma: no cover - both environments install underthesea
        return _SENTENCE_END.split
    return sent_tokenize


def split_sentences(text: str) -> list[str]:
    """The one sentence splitter: underthesea's, stripped, empty pieces dropped."""
    if not text or not text.strip():
        return []
    return [s.strip() for s in _sentence_tokenizer()(text.strip()) if s.strip()]
