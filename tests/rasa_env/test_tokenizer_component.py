"""The Rasa tokenizer component, run in the Rasa environment (Python 3.10)."""

from __future__ import annotations

from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.vietnamese_tokenizer import VietnameseTokenizer


def tokens(text: str, entities: list[dict] | None = None) -> list[Token]:
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    data = {TEXT: text}
    if entities:
        data["entities"] = entities
    return tokenizer.tokenize(Message(data=data), TEXT)


def test_words_lemmas_and_offsets() -> None:
    text = "Quên MK tài khoản VNeID"
    result = tokens(text)
    assert [t.text for t in result] == ["quên", "mật_khẩu", "tài_khoản", "vneid"]
    assert [t.lemma for t in result] == ["quen", "mat_khau", "tai_khoan", "vneid"]
    assert [text[t.start : t.end] for t in result] == ["Quên", "MK", "tài khoản", "VNeID"]


def test_accented_and_unaccented_input_share_lemmas() -> None:
    with_accents = [t.lemma for t in tokens("cách kích hoạt vneid")]
    without = [t.lemma for t in tokens("cach kich hoat vneid")]
    assert " ".join(with_accents).replace("_", " ") == " ".join(without).replace("_", " ")


def test_entity_edges_are_token_edges() -> None:
    text = "tôi muốn hỏi về dịch vụ công nha"
    start = text.index("dịch")
    end = start + len("dịch vụ công")
    result = tokens(
        text, [{"start": start, "end": end, "entity": "topic", "value": "public_services"}]
    )
    starts = {t.start for t in result}
    ends = {t.end for t in result}
    assert start in starts and end in ends


def test_empty_and_symbol_only_messages() -> None:
    assert tokens("") == []
    assert [t.text for t in tokens("???")] == ["?", "?", "?"]
