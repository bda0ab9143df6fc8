"""Answers at the question's grain: what kind of thing is asked, and which part of a card
says it.

Real questions ask one precise thing — a fee, a time limit, where, who, which papers, the
steps, a penalty, conditions, which phones — or expect a yes or no. Cards are written with a
direct answer first and sections under bold headings that name the aspect ("**Lệ phí**",
"**Thời hạn giải quyết**", "**Nộp ở đâu**"…), so the section that answers can be chosen and
the rest left out; a card with nothing on the asked aspect is not presented as the answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from vntext import has_diacritics, matching_key, split_sentences
from vntext.validity import asks_validity

# Checked in order; the first aspect whose pattern matches the question's key wins.
_ASPECT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("penalty", re.compile(
        r"\b(?:bi phat|xu phat|muc phat|phat bao nhieu|phat tien|bi xu ly|bi xu phat|"
        r"phat the nao|co bi phat|phat khong|phat nhu the nao|bi phat khong)\b")),
    ("fee", re.compile(
        r"\b(?:le phi|chi phi|mat phi|mien phi|phi bao nhieu|phi la|bao nhieu tien|"
        r"may tien|het bao nhieu|mat bao nhieu tien|ton bao nhieu|tien phi|"
        r"dong bao nhieu|nop bao nhieu|co mat tien|co ton tien|ton phi|phai tra phi|"
        r"thu phi|muc thu)\b|(?<!tang )\bphi\b")),
    ("time_limit", re.compile(
        r"\b(?:bao lau|may ngay|bao nhieu ngay|may hom|thoi han|thoi gian giai quyet|"
        r"thoi gian xu ly|thoi gian tra|bao gio (?:co|xong|nhan|lay|duoc)|"
        r"khi nao (?:co|xong|nhan|lay|duoc cap)|lau khong|nhanh khong|trong vong|"
        r"han chot|truoc ngay nao|den khi nao|het han)\b")),
    ("where", re.compile(
        r"\b(?:o dau|tai dau|noi nao|cho nao|co quan nao|den dau|di dau|"
        r"noi nop|ubnd nao|cong an nao|lam o dau|nop o dau|xin o dau|dang ky o dau)\b")),
    ("documents", re.compile(
        r"\b(?:can gi|can nhung gi|can giay to|giay to gi|giay to nao|thanh phan ho so|"
        r"ho so gom|ho so can|bo ho so|chuan bi gi|chuan bi nhung gi|mang theo gi|"
        r"mang theo nhung|can mang|can chuan bi|to khai|mau don|thu tuc gom)\b")),
    ("who", re.compile(
        r"\b(?:ai phai|ai duoc|ai co the|ai lam|ai dung ra|ai dung ten|doi tuong nao|nguoi nao|"
        r"ai la nguoi|ai chiu trach nhiem|ai se)\b")),
    ("devices", re.compile(
        r"\b(?:dien thoai nao|may nao|nfc|iphone|android|ios|ung dung nao|app nao|"
        r"phien ban|khong co dien thoai|dien thoai khong)\b")),
    ("conditions", re.compile(
        r"\b(?:dieu kien|tieu chuan|yeu cau gi|truong hop nao)\b")),
    ("steps", re.compile(
        r"\b(?:cac buoc|may buoc|quy trinh|trinh tu|cach lam|lam the nao|lam sao|"
        r"lam nhu the nao|huong dan|thu tuc the nao|nhu the nao|the nao|ra sao|nhu nao|"
        r"cach nao|lam gi|phai lam gi)\b")),
    ("yes_no", re.compile(
        r"\b(?:co phai|co duoc|duoc khong|co can|co bat buoc|bat buoc|co phai khong|"
        r"con dung duoc|con gia tri|co gia tri|co the|co nen)\b|\bkhong\s*$")),
)

# Heading words of the section that answers each aspect (matching keys).
_HEADINGS: dict[str, tuple[str, ...]] = {
    "penalty": ("muc phat", "xu phat", "phat"),
    "fee": ("le phi", "phi", "chi phi", "mien phi", "muc thu"),
    "time_limit": ("thoi han", "thoi gian", "bao lau"),
    "where": ("noi nop", "nop o dau", "o dau", "noi lam", "co quan", "lam o dau"),
    "documents": ("ho so", "giay to"),
    "who": ("ai phai", "ai duoc", "doi tuong", "ap dung cho", "ap dung voi"),
    "devices": ("thiet bi", "ung dung", "dien thoai"),
    "conditions": ("dieu kien",),
    "steps": ("cac buoc", "cach lam", "trinh tu", "quy trinh", "buoc"),
    "validity": ("thoi han su dung", "han su dung", "gia tri su dung", "hieu luc"),
}

# Words a passage must contain (matching keys) to say anything at all on the aspect.
_EVIDENCE: dict[str, re.Pattern[str]] = {
    "penalty": re.compile(r"\b(?:phat|xu phat|xu ly)\b"),
    "fee": re.compile(r"\b(?:phi|dong|mien|tien)\b"),
    "time_limit": re.compile(r"\b(?:ngay|thang|nam|gio|thoi han|trong vong|lam viec)\b"),
    "where": re.compile(r"\b(?:cong an|ubnd|uy ban|trung tam|bo phan|vneid|cong dich vu|"
                        r"co quan|tai|noi)\b"),
    "documents": re.compile(r"\b(?:ho so|giay|ban sao|ban chinh|to khai|mau)\b"),
    # how long a paper stays valid; not "có hiệu lực từ 1/7/2026" (when a rule starts)
    "validity": re.compile(
        r"\b(?:thoi han su dung|han su dung|het han|co thoi han|khong (?:co )?thoi han|"
        r"vo thoi han|con gia tri|het gia tri|gia tri (?:trong|den|su dung)|"
        r"hieu luc (?:trong|den))\b"
    ),
}

LABELS = {
    "penalty": "mức phạt",
    "fee": "lệ phí",
    "time_limit": "thời hạn",
    "where": "nơi làm",
    "documents": "giấy tờ cần chuẩn bị",
    "who": "đối tượng",
    "devices": "thiết bị, ứng dụng",
    "conditions": "điều kiện",
    "steps": "các bước",
    "yes_no": "câu trả lời",
    "validity": "thời hạn sử dụng",
}

# Cases a question can name that change the rule itself — who decides, which procedure:
# marrying abroad or a foreigner, a birth abroad, papers for use abroad. A card or record that
# never mentions the case describes the ordinary one and does not answer it.
_COUNTRY_NAMES = (
    r"han quoc|nhat ban|hoa ky|dai loan|trung quoc|thai lan|campuchia|canada|singapore|"
    r"malaysia|chau au|ba lan"
)
# short names only after a word that makes them a country ("sang Nhật", "người Úc"): alone
# they are common syllables ("cập nhật", "pháp luật"); not "Lào" ("người lao động")
_SHORT_NAMES = r"nga|uc|my|phap|duc|nhat|han|sec"
_SHORT_COUNTRIES = rf"(?:nguoi|nuoc|ben|sang|tai|o|xu) (?:{_SHORT_NAMES})"
# "định cư" (settled abroad) folds like "quy định cũ", "quyết định cũ", "xác định cụ thể",
# "nhất định cũng…" and is "tái định cư" (resettlement at home): none of those
_SETTLED = r"(?<!quy )(?<!qui )(?<!quyet )(?<!xac )(?<!nhat )(?<!tai )(?<!khang )dinh cu(?! the)"
_FOREIGN_WORDS = rf"nuoc ngoai|ngoai quoc|viet kieu|{_SETTLED}"
# Being abroad (living, working, studying there) is the narrower case within it: a rule for
# marrying a foreigner in Vietnam (the commune) does not say what a Vietnamese living abroad
# does (the mission), so a text must speak of being abroad to answer it.
_IN_A_COUNTRY = (
    rf"(?:o|tai|ben|sang|xu|song o|lam viec o) "
    rf"(?:nuoc ngoai|{_COUNTRY_NAMES}|{_SHORT_NAMES})"
)
_ABROAD_WORDS = rf"{_SETTLED}|viet kieu|kieu bao|du hoc|xuat khau lao dong|xkld"
_CASES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "foreign": (
        re.compile(rf"\b(?:{_FOREIGN_WORDS}|{_COUNTRY_NAMES}|{_SHORT_COUNTRIES})\b"),
        re.compile(
            rf"\b(?:{_FOREIGN_WORDS}|{_COUNTRY_NAMES}|{_SHORT_COUNTRIES}|co quan dai dien|"
            r"dai su quan|lanh su quan|quoc tich)\b"
        ),
    ),
    "abroad": (
        re.compile(rf"\b(?:{_IN_A_COUNTRY}|{_ABROAD_WORDS})\b"),
        re.compile(
            rf"\b(?:o nuoc ngoai|tai nuoc ngoai|ra nuoc ngoai|{_ABROAD_WORDS}|"
            r"co quan dai dien|dai su quan|lanh su quan)\b"
        ),
    ),
}
CASE_LABELS = {
    "foreign": "trường hợp có yếu tố nước ngoài (ở nước ngoài hoặc với người nước ngoài)",
    "abroad": "trường hợp đang ở nước ngoài",
}

_HEADING_LINE = re.compile(r"^\s*\*\*(?P<title>[^*\n]{1,80})\*\*\s*:?\s*(?P<rest>.*)$")


def aspects_in_order(question: str) -> tuple[str, ...]:
    """Every kind of thing asked, the rules' order first (a real question often asks two:
    "có được không? … thủ tục thế nào?")."""
    key = matching_key(question)
    found = tuple(aspect for aspect, pattern in _ASPECT_RULES if pattern.search(key))
    if asks_validity(key):  # "thời hạn của phiếu là bao lâu" asks no processing time
        return ("validity", *(a for a in found if a != "time_limit"))
    return found


def asked_aspect(question: str) -> str | None:
    """The kind of thing asked, or None when the question asks about the topic in general."""
    found = aspects_in_order(question)
    return found[0] if found else None


def asked_aspects(question: str) -> frozenset[str]:
    """Every kind of thing asked; the one a record cannot answer decides where the answer
    comes from."""
    return frozenset(aspects_in_order(question))


# a sentence saying the case is not known does not cover it
_NOT_KNOWN = re.compile(
    r"\b(?:chua co nguon|chua co thong tin|chua duoc xac nhan|chua xac nhan|can kiem tra)\b"
)


def uncovered_case(question: str, text: str) -> str | None:
    """A case the question names (``CASE_LABELS``) that ``text`` never mentions, if any."""
    key = matching_key(question)
    cases = [(case, covered) for case, (asked, covered) in _CASES.items() if asked.search(key)]
    if not cases:
        return None
    known = " ".join(
        k for k in (matching_key(s) for s in split_sentences(text)) if not _NOT_KNOWN.search(k)
    )
    return next((case for case, covered in cases if not covered.search(known)), None)


# Cases a card can be written for that a question names only sometimes: (the card's title is
# about it, the question names it). Abroad or a foreigner: a country, an embassy, a
# nationality, or a word whose case is built in (recording a marriage or birth registered
# abroad — "ghi chú" —, studying or working abroad, an overseas Vietnamese). A child: a card
# "làm căn cước cho con dưới 6 tuổi" does not answer an adult's question; a child, an age under
# 18 or a birth named in the question lets it answer. Folded, "con" is also "còn" and "cồn",
# "tre" "trễ", "be" "bể": with diacritics typed the child words are read as typed.
_ABROAD_BUILT_IN = (
    rf"{_ABROAD_WORDS}|ghi chu|ghi vao so ho tich|lao dong o nuoc|xuat nhap canh|xuatnhapcanh|"
    r"khach tay|foreigner|foreign|expat|overseas|abroad"
)
_CHILD_AGE = r"(?:[1-9]|1[0-7]) tuoi"
_AGE_WORDS = rf"{_CHILD_AGE}|(?<!\d )tuoi"
_FOREIGN_NAMED = re.compile(rf"{_CASES['foreign'][1].pattern}|\b(?:{_ABROAD_BUILT_IN})\b")
_CHILD_FOLDED = re.compile(
    r"\b(?:con|chau|be|tre|chua thanh nien|hoc sinh|sinh vien|so sinh|khai sinh|"
    rf"noi sinh|giam ho|{_AGE_WORDS})\b"
)
# the child words as typed, for a question written with diacritics, and an age (folded)
_CHILD_TYPED = re.compile(
    r"\b(?:con|cháu|bé|trẻ|chưa thành niên|học sinh|sinh viên|sơ sinh|khai sinh|nơi sinh|"
    r"giám hộ)\b"
)
_AGE = re.compile(rf"\b(?:{_AGE_WORDS})\b")


def _names_foreign(question: str, key: str) -> bool:
    return bool(_FOREIGN_NAMED.search(key))


def _names_child(question: str, key: str) -> bool:
    """A child's words as typed when the question has diacritics, else folded (``key``)."""
    if has_diacritics(question):
        typed = unicodedata.normalize("NFC", question).lower()
        return bool(_CHILD_TYPED.search(typed) or _AGE.search(key))
    return bool(_CHILD_FOLDED.search(key))


# An organisation's case (an e-ID account for a company): a person's question about their own
# account never names one, and a card on it answers "Có." to "must I have a level-2 account?"
_ORGANISATION_NAMED = re.compile(
    r"\b(?:to chuc|doanh nghiep|cong ty|co quan|don vi|ho kinh doanh|hop tac xa|phap nhan)\b"
)


def _names_organisation(question: str, key: str) -> bool:
    return bool(_ORGANISATION_NAMED.search(key))


# case -> (the title is written for it, whether a question (as typed, folded key) names it)
_NARROW_CASES: dict[str, tuple[re.Pattern[str], Callable[[str, str], bool]]] = {
    "foreign": (_CASES["foreign"][0], _names_foreign),
    "minor": (
        re.compile(
            r"\b(?:tre em|tre duoi|tre so sinh|cho con|con duoi|con tu \d+|con moi sinh|"
            rf"chua thanh nien|duoi {_CHILD_AGE})\b"
        ),
        _names_child,
    ),
    # written for organisations, not for people and organisations alike
    "organisation": (
        re.compile(r"^(?!.*\b(?:nguoi dan|ca nhan|cong dan)\b).*\b(?:to chuc|doanh nghiep)\b"),
        _names_organisation,
    ),
}
_ASIDE = re.compile(r"\([^)]*\)")


def narrow_case(question: str, title: str) -> str | None:
    """A case the ``title`` is written for (a card on marrying abroad, on a child's ID card)
    that the question never names, if any: such a card answers that case, not the ordinary
    one the question is about (the mirror of ``uncovered_case``). A case named in the title's
    aside ("giấy tờ gì (VNeID, trẻ em, …)") is one of several it covers, not its subject."""
    key, about = matching_key(question), matching_key(_ASIDE.sub(" ", title))
    return next(
        (case for case, (written_for, names) in _NARROW_CASES.items()
         if written_for.search(about) and not names(question, key)),
        None,
    )


@dataclass(frozen=True)
class Section:
    """A card section: its heading (empty for the lead) and its text, as written."""

    heading: str
    text: str


def sections(body: str) -> list[Section]:
    """The lead (text before the first bold heading) and each headed section."""
    out: list[Section] = []
    heading, lines = "", []
    for line in body.splitlines():
        match = _HEADING_LINE.match(line)
        if match:
            if heading or any(x.strip() for x in lines):
                out.append(Section(heading, "\n".join(lines).strip()))
            heading = match.group("title").strip()
            rest = match.group("rest").strip()
            lines = [rest] if rest else []
        else:
            lines.append(line)
    if heading or any(x.strip() for x in lines):
        out.append(Section(heading, "\n".join(lines).strip()))
    return out


def section_for(body: str, aspect: str | None) -> Section | None:
    """The section whose heading names ``aspect`` (the first such), if any."""
    words = _HEADINGS.get(aspect or "")
    if not words:
        return None
    for section in sections(body):
        key = matching_key(section.heading)
        if section.heading and any(re.search(rf"\b{w}\b", key) for w in words):
            return section
    return None


def says_anything_on(text: str, aspect: str | None) -> bool:
    """Whether ``text`` contains anything on ``aspect`` (aspects without evidence words: yes)."""
    pattern = _EVIDENCE.get(aspect or "")
    return pattern is None or bool(pattern.search(matching_key(text)))


# What a card's hedge must name to say it lacks an aspect: narrower than the headings, since
# a hedge also gives advice ("hãy hỏi cơ quan …" names no place it lacks)
_LACKED: dict[str, re.Pattern[str]] = {
    "penalty": re.compile(r"\bmuc phat\b"),
    "fee": re.compile(r"\b(?:le phi|muc phi|muc thu)\b"),
    "time_limit": re.compile(r"\b(?:thoi han giai quyet|thoi gian giai quyet|thoi han)\b"),
    "documents": re.compile(r"\b(?:thanh phan ho so|ho so can|giay to can)\b"),
    "who": re.compile(r"\bdoi tuong\b"),
    "devices": re.compile(r"\bthiet bi\b"),
    "conditions": re.compile(r"\bdieu kien\b"),
    "steps": re.compile(r"\b(?:cac buoc|trinh tu|cach lam)\b"),
    "validity": re.compile(r"\b(?:thoi han su dung|gia tri su dung)\b"),
}
_ADVICE = re.compile(r"\b(?:hay hoi|nen hoi|hoi lai|lien he|hay kiem tra lai)\b")


def declared_unknown(body: str, aspect: str | None) -> bool:
    """Whether the card itself says it lacks ``aspect``: the statement under a "Cần kiểm tra"
    heading ("**Cần kiểm tra**: điều kiện hưởng và mức hưởng …"), or a sentence saying it is
    not known, names the aspect. Advice on where to ask does not count."""
    lacked = _LACKED.get(aspect or "")
    if lacked is None:
        return False
    for section in sections(body):
        sentences = split_sentences(section.text)
        statement = sentences[:1] if _NOT_KNOWN.search(matching_key(section.heading)) else []
        for sentence in sentences:
            key = matching_key(sentence)
            hedged = sentence in statement or _NOT_KNOWN.search(key)
            if hedged and not _ADVICE.search(key) and lacked.search(key):
                return True
    return False


# A card's lead may open with a bare verdict ("Có.", "Được.", "Không, nếu …") that answers its own
# title's yes/no question. Put to another question — the opposite case ("trẻ dưới 14 tuổi
# cũng phải làm?" to "Đủ 14 tuổi có bắt buộc…?"), an obligation where the title asks a
# permission, or no yes/no question at all — the bare word says the wrong thing, while the
# sentence after it still states the rule. So the verdict is shown only when both ask yes or
# no about the same proposition as far as these marks tell; otherwise the rule alone is.
# the bare verdicts cards open with: yes, no, may, need not, must not (a verb after "Không
# phải" names what need not be done: "Không phải đổi."); the longer ones only as a sentence
# of their own ("Có thể, nhưng chỉ …" would leave "Nhưng chỉ …")
_VERDICT = re.compile(
    r"^(?:(?:Có|Không)(?:[.!]\s+|,\s+|\s+[—–-]\s+)|"
    r"(?:Có thể|Không thể|Không được|Được|Không bắt buộc|Bắt buộc|Không cần|"
    r"Không phải(?: \w+)?)(?:[.!]\s+|\s+[—–-]\s+))(?=\S)"
)
_TAG_QUESTION = re.compile(r"\b(?:co dung khong|dung khong|phai khong|hay khong|duoc khong)\b")
# the question's closing "… không (ạ)?", "… chưa?" (it asks yes or no) and its "có … / hay … /
# được …": no negation
_CLOSING = re.compile(
    r"(?:\b(?:hay|co|duoc|phai|dung|hong)\s+)?\b(?:khong|chua)\b"
    r"(?:\s+(?:a|vay|nhi|ha|ta|chi|ban|anh))?\s*$"
)
_OBLIGATION = re.compile(r"\b(?:bat buoc|buoc phai|phai|can phai|co can|nghia vu)\b")
_PERMISSION = re.compile(r"\b(?:duoc|co the)\b")
_FLIPS = re.compile(r"\b(?:duoi|tren|chua|khong)\b")
_AGE_NUMBER = re.compile(r"\b(\d+) tuoi\b")


def _proposition_marks(text: str) -> tuple[frozenset[str], bool, bool, frozenset[str]]:
    """(flip words, asks an obligation, asks a permission only, ages) of a question. A
    closing "… được không?" asks a permission as "có thể … không?" does."""
    full = matching_key(text)
    closing = _CLOSING.search(full)  # anchored at the end: at most one
    key = (full[: closing.start()] if closing else full).strip()
    obligation = bool(_OBLIGATION.search(key))
    permission = not obligation and bool(
        _PERMISSION.search(key) or (closing and closing.group(0).startswith("duoc "))
    )
    return (
        frozenset(_FLIPS.findall(key)), obligation, permission,
        frozenset(_AGE_NUMBER.findall(key)),
    )


def _asks_yes_no(text: str) -> bool:
    key = matching_key(text)
    return "yes_no" in aspects_in_order(text) or bool(
        _TAG_QUESTION.search(key) or _CLOSING.search(key)
    )


def _first_question(title: str) -> str:
    """A title's first question, the one its card's verdict answers ("… được không? Có phải
    lên xã không?" — the second asks another thing)."""
    end = title.find("?")
    return title[: end + 1] if end >= 0 else title


def verdict_fits(question: str, title: str) -> bool:
    """Whether a card's bare yes/no, written for ``title``, answers ``question``: both ask
    yes or no, with the same flip words (dưới, trên, chưa, an inner không), the same kind of
    modal (must vs may) and the same ages."""
    title = _first_question(title)
    if not (_asks_yes_no(question) and _asks_yes_no(title)):
        return False
    return _proposition_marks(question) == _proposition_marks(title)


def without_verdict(body: str) -> str:
    """``body`` without the bare verdict ("Có.", "Không,", "Được." …) that opens it, the rest
    capitalised."""
    stripped = body.lstrip()
    match = _VERDICT.match(stripped)
    if not match:
        return body
    rest = stripped[match.end():]
    return rest[:1].upper() + rest[1:]


def with_fitting_verdict(body: str, question: str, title: str) -> str:
    """``body`` as written when its opening verdict answers ``question``, else without it."""
    if not _VERDICT.match(body.lstrip()) or verdict_fits(question, title):
        return body
    return without_verdict(body)


def lead(body: str) -> str:
    """The card's direct answer: its text before the first heading."""
    parts = sections(body)
    return parts[0].text if parts and not parts[0].heading else ""
