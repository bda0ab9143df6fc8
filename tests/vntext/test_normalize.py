"""Shared Vietnamese text handling: normalisation, folding, offsets, masking, segmentation."""

import unicodedata

import pytest

from vntext import (
    fold_accents,
    has_diacritics,
    mask_pii,
    normalize,
    normalize_for_matching,
    spell_out_ranges,
)
from vntext.normalize import normalize_mapped, normalize_tone_marks
from vntext.segment import segment
from vntext.syllables import is_vietnamese_syllable


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("khoẻ", "khỏe"),
        ("thuỷ", "thủy"),
        ("uỷ ban", "ủy ban"),
        ("hoạ", "họa"),
        ("Thanh Hoá", "Thanh Hóa"),
    ],
)
def test_old_tone_placement_becomes_one_style(old: str, new: str) -> None:
    assert normalize_tone_marks(old) == new


@pytest.mark.parametrize("word", ["quý", "hoàn", "khuyến", "hoài", "thuở", "huế", "qua"])
def test_words_that_must_not_move_their_tone(word: str) -> None:
    assert normalize_tone_marks(word) == word


def test_a_syllable_with_two_tones_is_left_as_typed() -> None:
    """"OÝ" followed by a second tone mark: moving the acute to the O left the grave to
    compose with the Y on the next pass (found by the idempotence property test)."""
    once = normalize("O\u00dd\u0300")
    assert once == "O\u00dd\u0300"
    assert normalize(once) == once


def test_decomposed_input_is_composed_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Kích hoạt tài khoản")
    assert normalize(decomposed) == "Kích hoạt tài khoản"
    assert unicodedata.is_normalized("NFC", normalize(decomposed))


def test_whitespace_and_zero_width_characters_are_tidied() -> None:
    assert normalize("  quên\u200b  mật\tkhẩu \n ") == "quên mật khẩu"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ko dc", "không được"),
        ("quên mk tk", "quên mật khẩu tài khoản"),
        ("CCCD", "căn cước công dân"),
        ("dvc", "dịch vụ công"),
        ("GPLX", "giấy phép lái xe"),
        ("bhyt", "bảo hiểm y tế"),
        ("đc k", "được không"),
    ],
)
def test_abbreviations_expand(raw: str, expected: str) -> None:
    assert normalize_for_matching(raw) == expected


def test_abbreviation_only_matches_whole_tokens() -> None:
    assert normalize_for_matching("kho khăn") == "kho khăn"
    assert normalize_for_matching("tat ca") == "tat ca"


def test_folding_and_diacritic_detection() -> None:
    assert fold_accents("Đăng ký thường trú") == "Dang ky thuong tru"
    assert has_diacritics("đăng ký") and not has_diacritics("dang ky")
    assert fold_accents("đ") == "d"


def test_offsets_point_back_into_the_original_text() -> None:
    text = "Ko  dc TK"
    mapped = normalize_mapped(text, for_matching=True)
    assert mapped.text == "không được tài khoản"
    start, end = mapped.source_span(0, 5)
    assert text[start:end] == "Ko"
    start, end = mapped.source_span(len("không được "), len(mapped.text))
    assert text[start:end] == "TK"


def test_segmentation_groups_words_and_keeps_offsets() -> None:
    text = "Quên MK tài khoản VNeID thì làm sao?"
    words = segment(text)
    assert [w.text for w in words][:3] == ["quên", "mật_khẩu", "tài_khoản"]
    assert [text[w.start : w.end] for w in words][:3] == ["Quên", "MK", "tài khoản"]
    assert words[1].folded == "mat_khau"


def test_segmentation_respects_entity_boundaries() -> None:
    text = "cổng dịch vụ công nha"
    words = segment(text, boundaries=frozenset({0, 17}))
    assert all(not (w.start < 17 < w.end) for w in words)
    assert text[words[-1].start : words[-1].end] == "nha"


def test_a_number_underthesea_cuts_elsewhere_costs_only_its_own_grouping() -> None:
    """underthesea cuts "168/2024/NĐ-CP" and "93%" where the atoms do not; the rest of the
    text keeps its compound words (it used to fall back to single syllables throughout)."""
    words = [w.text for w in segment("Theo Nghị định 168/2024/NĐ-CP, giấy phép lái xe hết hạn")]
    assert {"nghị_định", "giấy_phép", "lái_xe"} <= set(words)
    assert "168/2024" in words
    words = [w.text for w in segment("93% đối tượng nhận trợ cấp qua tài khoản")]
    assert words[0] == "93%" and {"đối_tượng", "trợ_cấp", "tài_khoản"} <= set(words)


def test_segmentation_of_numbers_keeps_them_whole() -> None:
    words = [w.text for w in segment("đạt 96,9% (1.818/1.876 thủ tục), mã 1.007073")]
    assert "96,9%" in words and "1.818/1.876" in words and "1.007073" in words


@pytest.mark.parametrize(
    ("raw", "hidden"),
    [
        ("số tôi 0912345678 nhé", "0912345678"),
        ("gọi +84 912 345 678", "+84 912 345 678"),
        ("sđt 0912.345.678", "0912.345.678"),
        ("cccd 001203004567", "001203004567"),
        ("cmnd 123456789", "123456789"),
    ],
)
def test_pii_is_masked(raw: str, hidden: str) -> None:
    masked = mask_pii(raw)
    assert hidden not in masked
    assert "*" in masked


def test_masking_keeps_ordinary_numbers() -> None:
    assert (
        mask_pii("thủ tục 1.007073 mất 3 ngày, 25 dịch vụ")
        == "thủ tục 1.007073 mất 3 ngày, 25 dịch vụ"
    )


@pytest.mark.parametrize("word", ["quên", "nghiêng", "khong", "thuở", "gi", "uống", "trường"])
def test_vietnamese_syllables_are_recognised(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["qwxzk", "plmn", "vbtr", "asdfghjkl", "hmm", "vneid"])
def test_non_syllables_are_not(word: str) -> None:
    assert not is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("phạt 500.000–1.000.000 đồng", "phạt 500.000 đồng–1.000.000 đồng"),
        ("từ 2 đến 3 triệu đồng", "từ 2 triệu đồng đến 3 triệu đồng"),
        ("3 - 5 ngày làm việc", "3 ngày làm việc - 5 ngày làm việc"),
        ("Điều 9-10 của luật", "Điều 9-10 của luật"),  # no unit: not a range of amounts
        ("giai đoạn 2020-2025", "giai đoạn 2020-2025"),
    ],
)
def test_a_range_gives_each_bound_its_unit(raw: str, expected: str) -> None:
    assert spell_out_ranges(raw) == expected
