"""Decoding of text bytes and detection of legacy Vietnamese encodings (TCVN3, VNI, CP1258)."""

from __future__ import annotations

import codecs
from pathlib import Path

from knowledge.documents.errors import IngestError

# Precomposed Vietnamese letters that lie inside Latin-1 (à, é, ô, ý, ...). Text typed in a
# TCVN3 (ABC) or VNI font and read back as Latin-1/CP1252 holds only Latin-1 characters, and
# many that are *not* in this set (µ ¸ ¶ · ¹ ¨ © ª « ¬ ® å æ ç ë î ï ð ñ ö ø û ü þ ...).
_VIET_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
# Vietnamese letters outside Latin-1 (ă đ ơ ư ĩ ũ and U+1EA0–U+1EF9): never produced by a
# legacy-font mojibake, always frequent in real Vietnamese with diacritics.
_VIET_ONLY = frozenset("ăĂđĐơƠưƯĩĨũŨ") | frozenset(map(chr, range(0x1EA0, 0x1EFA)))
# CP1252's letters and signs in 0x80–0x9F that legacy bytes also decode to (typographic
# quotes and dashes are left out: real Unicode text uses them).
_CP1252_ODD = frozenset("‚ƒ„†‡ˆ‰Š‹ŒŽšœžŸ›")
_MIN_ODD = 3  # suspicious characters needed at all
_MIN_DENSITY = 0.08  # ... per letter (TCVN3/VNI text: 0.2–0.3; German: ~0.02)
_MIN_SHARE = 0.6  # ... against real Vietnamese letters outside Latin-1

LEGACY_HINT = (
    "Tệp có vẻ dùng bảng mã cũ (Windows-1258, TCVN3/ABC hoặc VNI), hãy chuyển sang "
    "Unicode dựng sẵn (UTF-8) trước / file looks like a legacy Vietnamese encoding "
    "(Windows-1258, TCVN3/ABC or VNI); convert it to UTF-8 (Unicode, precomposed) first"
)


def decode_utf8(data: bytes, path: str | Path | None = None) -> str:
    """Decode UTF-8 (a BOM is dropped; UTF-16 with a BOM is accepted too).

    Raises IngestError for bytes that are not valid UTF-8, which for Vietnamese text almost
    always means Windows-1258, TCVN3 or VNI.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(f"UTF-16 hỏng / broken UTF-16 text ({exc.reason})", path) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"không phải UTF-8 / not valid UTF-8. {LEGACY_HINT}", path) from exc


def _is_odd(ch: str) -> bool:
    return ("\u00a1" <= ch <= "\u00ff" and ch not in _VIET_LATIN1) or ch in _CP1252_ODD


def looks_like_legacy_font(text: str) -> bool:
    """True when ``text`` is most likely TCVN3/VNI mojibake rather than Unicode Vietnamese.

    Counts characters typical of those fonts' bytes (Latin-1 signs and letters that are not
    Vietnamese) against letters only Unicode Vietnamese has (ă đ ơ ư ạ ế ...).
    """
    odd = sum(map(_is_odd, text))
    if odd < _MIN_ODD:
        return False
    letters = sum(ch.isalpha() for ch in text)
    viet = sum(ch in _VIET_ONLY for ch in text)
    return odd >= _MIN_DENSITY * letters and odd >= _MIN_SHARE * (odd + viet)


def check_unicode(text: str, path: str | Path | None = None) -> str:
    """Return ``text`` unchanged, or raise IngestError when it is legacy-font mojibake."""
    if looks_like_legacy_font(text):
        raise IngestError(f"chữ bị lỗi phông / garbled Vietnamese text. {LEGACY_HINT}", path)
    return text
