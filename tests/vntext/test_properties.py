"""Property tests (Hypothesis) of the Vietnamese text layer: normalisation, offsets, masking."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from vntext import mask_pii, normalize
from vntext.normalize import normalize_mapped

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
text = st.text(
    alphabet=st.sampled_from(
        list(VIETNAMESE + VIETNAMESE.upper() + " .,?!-/0123456789\n\t")
        + ["\u0301", "\u0300", "\u202e", "\u2066", "\u0085", "\u200b", "\x00", "@"]
    ),
    max_size=80,
)
SEPARATORS = st.sampled_from(["", " ", ".", "-", " - ", ". ", "_", "/"])


@settings(max_examples=300, deadline=None)
@given(text)
def test_normalisation_is_idempotent(value: str) -> None:
    once = normalize(value)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(text)
def test_bidi_and_control_characters_never_survive(value: str) -> None:
    forbidden = r"[\u0000-\u0008\u007f-\u009f\u202a-\u202e\u2066-\u2069]"
    assert not re.search(forbidden, normalize(value))


@settings(max_examples=300, deadline=None)
@given(text)
def test_every_output_character_maps_back_into_the_input(value: str) -> None:
    mapped = normalize_mapped(value)
    assert len(mapped.spans) == len(mapped.text)
    for start, end in mapped.spans:
        assert 0 <= start <= end <= len(value)
    if mapped.text:
        s, e = mapped.source_span(0, len(mapped.text))
        assert 0 <= s <= e <= len(value)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=12, max_size=12), SEPARATORS, text, text)
def test_no_twelve_digit_id_survives_masking(digits, sep, before, after) -> None:
    groups = ["".join(map(str, digits[i : i + 4])) for i in (0, 4, 8)]
    message = f"{before} {sep.join(groups)} {after}"
    masked = mask_pii(message)
    full = "".join(map(str, digits))
    assert full not in _digits(masked.replace(" ", ""))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["0", "+84", "84"]), st.lists(st.integers(0, 9), min_size=9,
       max_size=9), SEPARATORS, text)
def test_no_phone_number_survives_masking(prefix, digits, sep, before) -> None:
    body = "".join(map(str, digits))
    phone = prefix + sep.join([body[:3], body[3:6], body[6:]])
    masked = mask_pii(f"{before} {phone}.")
    assert body not in _digits(masked)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=VIETNAMESE + "0123456789.", min_size=2, max_size=12),
       st.text(alphabet=VIETNAMESE, min_size=2, max_size=10))
def test_no_email_survives_masking(local, domain) -> None:
    local = local.strip(".") or "ab"
    address = f"{local}@{domain}.vn"
    masked = mask_pii(f"liên hệ {address} nhé")
    assert address not in masked and "@" in masked
