"""Metadata of Vietnamese administrative documents: number, type, issuer, date.

Patterns run on ``fold_accents(text)``, which keeps every offset, so text typed without
diacritics ("Quyet dinh so 06/QD-TTg", "ngay 6 thang 1 nam 2022") is read the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from vntext import fold_accents

# Document types written out before a number; matched without regard to case or diacritics.
DOC_TYPES: tuple[str, ...] = (
    "Quyết định",
    "Nghị định",
    "Nghị quyết",
    "Chỉ thị",
    "Thông tư liên tịch",
    "Thông tư",
    "Kế hoạch",
    "Công văn",
    "Công điện",
    "Thông báo",
    "Báo cáo",
    "Hướng dẫn",
    "Tờ trình",
    "Kết luận",
    "Quy định",
    "Quy chế",
    "Chương trình",
    "Đề án",
    "Luật",
    "Pháp lệnh",
    "Văn bản",
)
# Type codes inside a number ("06/QĐ-TTg") and as abbreviations before it ("QĐ 06/QĐ-TTg").
TYPE_CODES: dict[str, str] = {
    "QĐ": "Quyết định",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "KH": "Kế hoạch",
    "CV": "Công văn",
    "CĐ": "Công điện",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "TTr": "Tờ trình",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
}
# Issuer codes of a number's suffix ("-TTg", "/NĐ-CP", "BTC-"); trailing digits ("QH15") ignored.
ISSUERS: dict[str, str] = {
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "TTCP": "Thanh tra Chính phủ",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CTN": "Chủ tịch nước",
    "BCA": "Bộ Công an",
    "BTC": "Bộ Tài chính",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BNV": "Bộ Nội vụ",
    "BTP": "Bộ Tư pháp",
    "BYT": "Bộ Y tế",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BQP": "Bộ Quốc phòng",
    "BNG": "Bộ Ngoại giao",
    "BCT": "Bộ Công Thương",
    "BXD": "Bộ Xây dựng",
    "BGTVT": "Bộ Giao thông vận tải",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "BHXH": "Bảo hiểm xã hội Việt Nam",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "TW": "Ban Chấp hành Trung ương Đảng",
    "TU": "Tỉnh ủy",
    "HU": "Huyện ủy",
    "ĐU": "Đảng ủy",
    "BCSĐ": "Ban cán sự đảng",
    "BCĐ": "Ban Chỉ đạo",
}


def _key(code: str) -> str:
    return fold_accents(code).upper()


_CODE_SPELLING = {_key(c): c for c in [*TYPE_CODES, *ISSUERS]}
_TYPE_BY_KEY = {_key(c): t for c, t in TYPE_CODES.items()}
_TYPE_BY_WORDS = {fold_accents(t).lower(): t for t in DOC_TYPES}
_ISSUER_BY_KEY = {_key(c): name for c, name in ISSUERS.items()}

_TOKEN = r"[A-Za-z]+\d{0,3}"
_CODE = rf"{_TOKEN}(?:-{_TOKEN}){{0,4}}"
# 06/QĐ-TTg, 69/2024/NĐ-CP, 13578/BTC-NSNN, 26/2023/QH15 | Party style: 32-CT/TU, 220-BC/BCSĐ
_NUMBER = re.compile(
    rf"(?<![\w/.-])(?:(?P<n>\d{{1,6}})(?:/(?P<year>(?:19|20)\d\d))?/(?P<code>{_CODE})"
    rf"|(?P<pn>\d{{1,6}})-(?P<ptype>[A-Za-z]{{1,5}})/(?P<pcode>{_CODE}))(?![\w/])"
)
_TYPE_BEFORE = re.compile(
    r"(?<!\w)(?P<kw>(?i:"
    + "|".join(re.escape(fold_accents(t)) for t in sorted(DOC_TYPES, key=len, reverse=True))
    + r")|"
    + "|".join(re.escape(fold_accents(c)) for c in sorted(TYPE_CODES, key=len, reverse=True))
    + r")(?:\s*(?i:so)?|\s+[A-Z]\w*(?:\s+\w+){0,5}?\s+(?i:so))\s*:?\s*$"  # "Luật Căn cước số"
)
_PROGRAMME = re.compile(r"\d+/[^-/]+")  # a number with one code and no year: "06/CP"
# "Số: 06/QĐ-TTg" at the start of a line (or of a table cell) is the document's own number.
_HEADER_NUMBER = re.compile(r"(?:^|\|)[\s#*]*(?i:so)\s*(?i:hieu)?\s*:\s*$")
_DATE_GAP = re.compile(r"^[\s,(]*(?:(?i:cua|do)\s[^.;:()\n]{1,60}?[\s,]*)?(?i:ban hanh\s*)?$")

# Dates. "ngày" forms may omit the year; bare forms need it.
_DATE_PATTERNS = [
    re.compile(  # ngày 6 tháng 1 năm 2022
        r"(?i:(?<!\w)ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})"
        r"(?:\s*,?\s*nam\s+(?P<y>\d{4}))?)(?!\d)"
    ),
    re.compile(  # ngày 06/01/2022, ngày 24.1.2023, ngày 27.6
        r"(?i:(?<!\w)ngay)\s+(?P<d>\d{1,2})(?P<s>[./-])(?P<m>\d{1,2})"
        r"(?:(?P=s)(?P<y>\d{4}))?(?!\d|[./-]\d)"
    ),
    re.compile(  # 06.01.2022, 6/1/2022
        r"(?<![\w./-])(?P<d>\d{1,2})(?P<s>[./-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4})(?![\w./-]?\d)"
    ),
    re.compile(r"(?<![\w./-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),  # 2022-01-06
]
# "Chiều 27/3": read on the original text, as folded "sang"/"toi" are other words.
_TIME_OF_DAY_DATE = re.compile(
    r"(?i:(?<!\w)(?:sáng|trưa|chiều|tối|đêm)\s+(?:nay\s+)?)"
    r"(?P<d>\d{1,2})(?P<s>[./])(?P<m>\d{1,2})(?:(?P=s)(?P<y>\d{4}))?(?!\d|[./]\d)"
)

_LOCALITY = r"(?:tinh|thanh pho|TP\.?|huyen|quan|thi xa|xa|phuong)"
_PLACE = r"(?:(?:\s*-\s*|\s+)[A-Z][A-Za-z]*){0,4}"
_ORG_NAMES = sorted({*ISSUERS.values(), "UBND", "HĐND", "Thành ủy"}, key=len, reverse=True)
_ISSUED_BY = re.compile(
    r"(?<!\w)(?P<org>(?i:"
    + "|".join(re.escape(fold_accents(n)) for n in _ORG_NAMES)
    + rf"))(?P<place>\s+(?i:{_LOCALITY}){_PLACE})?"
    + r"\s+(?i:(?:da|vua|moi|cung|chinh thuc)\s+)*(?i:ban hanh)\b"
)
_ORG_BY_FOLDED = {fold_accents(n).lower(): n for n in _ORG_NAMES} | {
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
}
_CAPS_TYPE = re.compile(
    r"^[\s#]*(?P<kw>" + "|".join(re.escape(t.upper()) for t in DOC_TYPES) + r")\s*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class DocRef:
    """One document number found in a text, with what could be read around it."""

    number: str
    doc_type: str | None
    issuer: str | None
    issued_date: str | None
    start: int
    end: int


@dataclass(frozen=True)
class DocMetadata:
    """A document's own number, type, issuer and date, plus every number it cites.

    Dates are ISO strings: "2022-01-06", or "--06-27" (ISO 8601 month-day) when the text
    gives no year.
    """

    number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_date: str | None = None
    all_numbers: list[str] = field(default_factory=list)
    all_dates: list[str] = field(default_factory=list)
    references: list[DocRef] = field(default_factory=list)


def _iso(day: str, month: str, year: str | None) -> str | None:
    try:
        date = dt.date(int(year or 2000), int(month), int(day))  # 2000: 29/2 is valid
    except ValueError:
        return None
    if year is None:
        return f"--{date.month:02d}-{date.day:02d}"
    return date.isoformat() if 1900 <= date.year <= 2100 else None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as (start, end, ISO string), in order, without overlaps."""
    folded = fold_accents(text)
    found: list[tuple[int, int, str]] = []
    matches = [m for p in _DATE_PATTERNS for m in p.finditer(folded)]
    matches += list(_TIME_OF_DAY_DATE.finditer(text))
    for m in sorted(matches, key=lambda m: (m.start(), -m.end())):
        iso = _iso(m["d"], m["m"], m["y"])
        if iso and not (found and m.start() < found[-1][1]):
            found.append((m.start(), m.end(), iso))
    return found


def _canonical_code(code: str) -> str:
    return "-".join(_CODE_SPELLING.get(_key(t), t) for t in code.split("-"))


def _issuer_of(tokens: list[str]) -> str | None:
    for token in tokens:
        name = _ISSUER_BY_KEY.get(re.sub(r"\d+$", "", _key(token)))
        if name:
            return name
    return None


def _is_code(token: str) -> bool:
    """ "QĐ", "TTg", "UBND", "C06", "qd" (known): a document code, not an ordinary word."""
    base = re.sub(r"\d+$", "", token)
    if _key(base) in _CODE_SPELLING:
        return True
    body = base[:-1] if len(base) > 1 and base[-1].islower() else base  # TTg, TTr
    return body.isupper() and (len(body) >= 2 or base != token)


def _parse_number(m: re.Match[str], text: str) -> tuple[str, str | None, str | None] | None:
    """Canonical number, type from its codes and issuer from its suffix; None if not one."""
    group = "code" if m["code"] else "pcode"
    raw_code = text[m.start(group) : m.end(group)]  # original spelling, with Đ
    tokens = raw_code.split("-")
    if not all(_is_code(t) for t in tokens):
        return None  # "5/người", "06/Chính phủ": words, not document codes
    code = _canonical_code(raw_code)
    if m["n"]:
        number = f"{m['n']}/{m['year']}/{code}" if m["year"] else f"{m['n']}/{code}"
        doc_type = _TYPE_BY_KEY.get(_key(tokens[0]))
        issuer_tokens = tokens[1:] if doc_type else tokens
    else:
        ptype = text[m.start("ptype") : m.end("ptype")]
        number = f"{m['pn']}-{_canonical_code(ptype)}/{code}"
        doc_type = _TYPE_BY_KEY.get(_key(ptype))
        issuer_tokens = tokens
    issuer = _issuer_of(issuer_tokens)
    if doc_type is None and m["n"] and len(tokens) > 1 and _issuer_of(tokens[:1]):
        doc_type = "Công văn"  # "13578/BTC-NSNN": issuer, then drafting unit
    return number, doc_type, issuer


def find_numbers(text: str, dates: list[tuple[int, int, str]] | None = None) -> list[DocRef]:
    """Every document number in ``text``, in order, with its type, issuer and date.

    ``dates`` is ``find_dates(text)`` when the caller already has it.
    """
    folded = fold_accents(text)
    dates = find_dates(text) if dates is None else dates
    refs: list[DocRef] = []
    for m in _NUMBER.finditer(folded):
        parsed = _parse_number(m, text)
        if parsed is None:
            continue
        number, doc_type, issuer = parsed
        before = _TYPE_BEFORE.search(folded, max(0, m.start() - 40), m.start())
        if before:
            kw = before["kw"]
            doc_type = _TYPE_BY_WORDS.get(kw.lower()) or _TYPE_BY_KEY.get(_key(kw), doc_type)
        date = next(
            (
                iso
                for start, _, iso in dates
                if start >= m.end()
                and folded[start : start + 4].lower() == "ngay"
                and _DATE_GAP.match(folded[m.end() : start])
            ),
            None,
        )
        if doc_type == "Đề án" and _PROGRAMME.fullmatch(number):
            continue  # "Đề án 06/CP" names the programme; it is not a document number
        refs.append(DocRef(number, doc_type, issuer, date, m.start(), m.end()))
    return refs


def find_issuer_phrase(text: str) -> str | None:
    """The issuer named in "UBND tỉnh X ban hành", "Bộ Công an đã ban hành", ..."""
    m = _ISSUED_BY.search(fold_accents(text))
    if not m:
        return None
    org = _ORG_BY_FOLDED.get(m["org"].lower(), text[m.start("org") : m.end("org")])
    place = text[m.start("place") : m.end("place")] if m["place"] else ""
    place = re.sub(r"^(\s+)TP\.?(?=\s|$)", r"\1thành phố", place)
    return org + place


def _header_type(text: str) -> str | None:
    """A document type written as an upper-case line near the top ("QUYẾT ĐỊNH")."""
    head = "\n".join(text.split("\n")[:25])
    m = _CAPS_TYPE.search(head)
    return next((t for t in DOC_TYPES if t.upper() == m["kw"]), None) if m else None


def _line_before(text: str, pos: int) -> str:
    return text[text.rfind("\n", 0, pos) + 1 : pos]


def extract_metadata(text: str) -> DocMetadata:
    """The document's own metadata, read from its text.

    The own number is the one after a "Số:" header line if there is one, else the first
    number in the text; its date is the date written right after it ("số ... ngày ..."),
    else the first date in the text. The issuer comes from the number's suffix, made more
    precise (or supplied) by an "X ban hành" phrase naming the same kind of body.
    """
    dates = find_dates(text)
    refs = find_numbers(text, dates)
    folded = fold_accents(text)
    own = next((r for r in refs if _HEADER_NUMBER.search(_line_before(folded, r.start))), None)
    own = own or (refs[0] if refs else None)
    phrase = find_issuer_phrase(text)
    issuer = own.issuer if own else None
    if phrase and (issuer is None or phrase.startswith(issuer)):
        issuer = phrase
    return DocMetadata(
        number=own.number if own else None,
        doc_type=(own.doc_type if own else None) or _header_type(text),
        issuer=issuer,
        issued_date=(own.issued_date if own else None) or (dates[0][2] if dates else None),
        all_numbers=list(dict.fromkeys(r.number for r in refs)),
        all_dates=list(dict.fromkeys(iso for _, _, iso in dates)),
        references=refs,
    )
