"""The question inside a message: real messages wrap one question in greetings and context.

"Chào luật sư, tôi quê ở Bình Thuận, mới kết hôn … Vậy tôi có nhất thiết phải thay đổi nơi
đăng ký thường trú không? Xin cảm ơn." asks one thing; the story before it is context. The
focus is the sentences that ask (a question mark or a question word), without greetings,
thanks and "cho tôi hỏi"-style lead-ins; a message with no such sentence is its own focus.
"""

from __future__ import annotations

import re

from vntext.normalize import matching_key, split_sentences

MIN_CHARS_TO_FOCUS = 140  # shorter messages are already one question
MAX_FOCUS_SENTENCES = 2
# asking sentences shorter than this (in syllables) have lost their subject ("Vậy, tôi có vi
# phạm không?" after the story of a car bought without transfer): the sentence before is added
MIN_FOCUS_SYLLABLES = 8

# a sentence asks when it ends with a question word or opens with "xin hỏi"-style words
_ENDS_ASKING = re.compile(
    r"\b(?:khong|ko|chua|gi|nao|sao|the nao|ra sao|o dau|dau|bao nhieu|bao lau|"
    r"duoc khong|hay khong|khong a|chua a|a|vay)\s*$"
)
_OPENS_ASKING = re.compile(
    r"^(?:xin hoi|cho (?:toi |em |minh |chau )?(?:xin )?hoi|vay|toi muon hoi|em muon hoi|"
    r"xin cho hoi|nho|mong)\b"
)
_COURTESY = re.compile(
    r"^(?:xin chao|chao|kinh gui|kinh chao|cam on|xin cam on|tran trong|em cam on|"
    r"toi xin chan thanh cam on|rat mong)\b"
)
def _is_courtesy(sentence: str) -> bool:
    key = matching_key(sentence, expand=False)
    return bool(_COURTESY.match(key)) and len(key.split()) <= 12


def _asks(sentence: str) -> bool:
    key = matching_key(sentence, expand=False)
    return bool(_ENDS_ASKING.search(key) or _OPENS_ASKING.match(key))


def _syllables(sentences: list[str]) -> int:
    return len(matching_key(" ".join(sentences), expand=False).split())


def _without_courtesy(text: str) -> list[str]:
    return [s for s in split_sentences(text) if not _is_courtesy(s)]


def _asking_among(sentences: list[str]) -> list[str]:
    """Those with a question mark, else those with a question word."""
    return [s for s in sentences if "?" in s] or [s for s in sentences if _asks(s)]


def asking_sentences(text: str) -> list[str]:
    """Every sentence of ``text`` that asks (a question mark, else a question word), in order;
    a long letter often asks more than its last two sentences do ("có nhất thiết phải …
    không? … Thủ tục như thế nào?")."""
    return _asking_among(_without_courtesy((text or "").strip()))


def focus(text: str) -> str:
    """The asking sentences of a long message (at most two, the last ones), else the text."""
    text = (text or "").strip()
    if len(text) < MIN_CHARS_TO_FOCUS:
        return text
    sentences = _without_courtesy(text)
    asking = _asking_among(sentences)
    chosen = asking[-MAX_FOCUS_SENTENCES:] if asking else sentences[-MAX_FOCUS_SENTENCES:]
    first = sentences.index(chosen[0]) if chosen else 0
    while first > 0 and _syllables(chosen) < MIN_FOCUS_SYLLABLES:
        first -= 1
        chosen = [sentences[first], *chosen]
    out = " ".join(chosen).strip()
    return out or text
