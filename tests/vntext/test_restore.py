"""Diacritics put back on a question typed without them, from accented text."""

from __future__ import annotations

from vntext.restore import MAX_CHARS, DiacriticRestorer, needs_restoring

CORPUS = [
    "Làm thẻ căn cước ở đâu? Bạn nộp hồ sơ tại Công an cấp xã.",
    "Cần giấy tờ gì để đăng ký tạm trú? Tờ khai thay đổi thông tin cư trú.",
    "Mất thẻ căn cước thì làm lại ở Công an xã, không phải thi lại gì cả.",
    "lam can cuoc o dau",  # a line typed without diacritics teaches nothing
]


def test_a_question_without_diacritics_gets_them_back() -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    assert restorer.restore("lam the can cuoc o dau") == "làm thẻ căn cước ở đâu"
    # "can" is "cần" before "giấy tờ", "căn" before "cước": the syllable before decides
    assert restorer.restore("can giay to gi de dang ky tam tru") == (
        "cần giấy tờ gì để đăng ký tạm trú"
    )


def test_unknown_syllables_stay_as_typed_and_accented_ones_are_kept() -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    assert restorer.restore("xyz can cuoc") == "xyz căn cước"
    assert restorer.restore("Mất căn cước, lam lai o dau?") == "mất căn cước , làm lại ở đâu ?"


def test_everyday_words_are_known_without_a_corpus() -> None:
    assert DiacriticRestorer.from_texts([]).restore("xin hoi") == "xin hỏi"


def test_a_long_run_keeps_one_syllable_for_each_typed() -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    restored = restorer.restore("lam lai can cuoc " * 100)  # within MAX_CHARS
    assert restored.split() == ["làm", "lại", "căn", "cước"] * 100
    # beyond MAX_CHARS a pasted page is kept as typed
    long = restorer.restore("lam lai can cuoc " * (MAX_CHARS // 10))
    assert long.endswith("lam lai can cuoc")


def test_only_messages_typed_mostly_without_diacritics_are_restored() -> None:
    assert needs_restoring("lam can cuoc o dau")
    assert needs_restoring("lam can cuoc o dau ạ")  # one accented syllable of six
    assert not needs_restoring("Làm căn cước cho con ở đâu")
    assert not needs_restoring("123 ???")
