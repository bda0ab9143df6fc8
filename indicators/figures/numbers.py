"""Vietnamese number, percentage, fraction, rank, date and period forms with character spans.

Conventions of Vietnamese reports: "." groups thousands ("1.818" = 1818), "," is the decimal
mark ("96,9" = 96.9). Dates are day first ("30/11/2023", "24.1.2023"). Every parse returns
the value and its ``[start, end)`` span in the text it was given.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass, replace

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUM_RE = re.compile(rf"^(?:{NUM})$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3}){2,}$")
SCALES = {
    "nghìn tỷ": 1e12,
    "ngàn tỷ": 1e12,
    "nghìn tỉ": 1e12,
    "ngàn tỉ": 1e12,
    "triệu": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
    "nghìn": 1e3,
    "ngàn": 1e3,
}
_SCALE_ALT = "|".join(sorted(SCALES, key=len, reverse=True))
QUALIFIERS = {
    "gần": "approx_below",
    "khoảng": "approx",
    "chừng": "approx",
    "xấp xỉ": "approx",
    "ước tính": "approx",
    "ước": "approx",
    "hơn": "more_than",
    "trên": "more_than",
    "vượt": "more_than",
    "dưới": "less_than",
    "ít nhất": "at_least",
    "tối thiểu": "at_least",
    "tối đa": "at_most",
}
_QUAL_RE = re.compile(
    r"(?:^|[\s(])(" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\s*$",
    re.IGNORECASE,
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RANK_WORDS = {"nhất": 1, "nhì": 2, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5}
_LETTER = r"[^\W\d_]"


def parse_number(token: str) -> float | None:
    """Value of one Vietnamese number token: "1.818" → 1818, "96,9" → 96.9, else None."""
    token = token.strip()
    if _EN_THOUSANDS.match(token):
        return float(token.replace(",", ""))
    if not _NUM_RE.match(token):
        return None
    return float(token.replace(".", "").replace(",", "."))


@dataclass(frozen=True)
class Quantity:
    """A number found in text.

    kind: "number", "percent", "fraction" (value = numerator) or "rank" (value = position).
    """

    kind: str
    value: float
    start: int
    end: int
    text: str
    denominator: float | None = None
    inner_unit: str | None = None  # words between numerator and "/" ("601.919 tài khoản/…")
    scale: str | None = None
    qualifier: str | None = None
    national: bool = False  # rank "toàn quốc" / "cả nước"


@dataclass(frozen=True)
class DateRef:
    """A date or period found in text; ``start``/``end`` are calendar days (inclusive).

    role: "point" (a plain date or period), "as_of" ("đến ngày …"), "citation" (date of a
    cited document), "comparison" ("so với năm 2022"), "deadline" ("chậm nhất ngày …"),
    "title" (the plan's own "giai đoạn 2022–2025, tầm nhìn 2030").
    """

    kind: str  # "date" or "period"
    span_start: int
    span_end: int
    text: str
    spec: tuple
    year: int | None
    year2: int | None = None
    role: str = "point"

    @property
    def year_missing(self) -> bool:
        """True for "27/3" or "6 tháng đầu năm" written without a year."""
        return self.year is None

    @property
    def usable(self) -> bool:
        """Whether this can date an observation (not a citation, comparison, deadline…)."""
        return self.role in ("point", "as_of")

    @property
    def start(self) -> dt.date | None:
        """First day covered (None if the year is missing)."""
        return self._bounds()[0]

    @property
    def end(self) -> dt.date | None:
        """Last day covered (None if the year is missing)."""
        return self._bounds()[1]

    def with_year(self, year: int) -> DateRef:
        """The same reference with its missing year filled in."""
        return replace(self, year=year)

    def _bounds(self) -> tuple[dt.date | None, dt.date | None]:
        if self.year is None:
            return None, None
        y = self.year
        kind = self.spec[0]
        if kind == "date":
            day = dt.date(y, self.spec[2], self.spec[1])
            return day, day
        if kind == "year":
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if kind == "years":
            return dt.date(y, 1, 1), dt.date(self.year2 or y, 12, 31)
        if kind == "month":
            m = self.spec[1]
            return dt.date(y, m, 1), dt.date(y, m, monthrange(y, m)[1])
        if kind == "quarter":
            q = self.spec[1]
            m2 = q * 3
            return dt.date(y, m2 - 2, 1), dt.date(y, m2, monthrange(y, m2)[1])
        if kind == "months":
            m1, m2 = self.spec[1], self.spec[2]
            return dt.date(y, m1, 1), dt.date(y, m2, monthrange(y, m2)[1])
        raise ValueError(kind)


# ---------------------------------------------------------------- dates

_DAY_PREFIX = r"(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|đến|tới|từ|tính đến|tính tới)"
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "dmy_words",
        re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I),
    ),
    ("dmy", re.compile(r"(?<![\d/.])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])")),
    (
        "months",
        re.compile(
            r"(?<!\d)(\d{1,2}|sáu|chín)\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?(?!\d)", re.I
        ),
    ),
    (
        "quarter",
        re.compile(r"quý\s+(IV|I{1,3}|[1-4])(?![\w])(?:\s*(?:/|-|năm)\s*(\d{4}))?", re.I),
    ),
    ("month", re.compile(r"tháng\s+(\d{1,2})(?:\s*(?:/|-|năm)\s*(\d{4}))(?!\d)", re.I)),
    (
        "years",
        re.compile(
            r"(?:(?:các\s+)?năm|giai\s+đoạn|niên\s+độ)\s+(\d{4})\s*[-–—]\s*(\d{4})(?!\d)"
            r"|từ\s+(?:năm\s+)?(\d{4})\s+đến\s+(?:năm\s+)?(\d{4})(?!\d)",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(r"(?:(?:đầu|cuối|hết|giữa|trong|cả)\s+)?năm\s+(\d{4})(?!\d)", re.I),
    ),
    (
        "dm",
        re.compile(
            rf"{_DAY_PREFIX}\s+(?:ngày\s+)?(\d{{1,2}})\s*[/.]\s*(\d{{1,2}})(?![\d/.]*\d)", re.I
        ),
    ),
]
_CITATION_BEFORE = re.compile(
    r"(?:số\s*[\w./-]*\d[\w./-]*|\d+[\w.]*[/-][\w./-]*[^\W\d_][\w./-]*)\s*,?\s*(?:\(|ngày\s*)?$"
    r"|(?:quyết định|nghị quyết|nghị định|thông báo|kế hoạch|chỉ thị|báo cáo|công văn|thông tư|"
    r"luật)\s+(?:số\s+)?\S+\s*,?\s*(?:\(|ngày\s*)?$",
    re.I,
)
_COMPARISON_BEFORE = re.compile(r"so\s+(?:với|cùng\s+kỳ)(?:\s+(?:cùng\s+kỳ|kỳ|năm|của))*\s*$", re.I)
_DEADLINE_BEFORE = re.compile(
    r"(?:chậm\s+nhất|trước|hạn\s+chót|thời\s+hạn|hạn)\s*(?:là\s*)?(?:vào\s+)?(?:ngày\s*)?$", re.I
)
_AS_OF_BEFORE = re.compile(
    r"(?:tính\s+)?(?:đến|tới)(?:\s+hết)?(?:\s+thời\s+điểm)?\s*(?:ngày\s*)?$"
    r"|(?:kết\s+thúc|hết|cuối)\s*(?:ngày\s*)?$",
    re.I,
)
_TITLE_AROUND = re.compile(r"^\s*,?\s*tầm\s+nhìn", re.I)
_TITLE_BEFORE = re.compile(r"tầm\s+nhìn\s*(?:đến\s*)?$", re.I)


def _valid_dm(day: int, month: int, year: int | None = None) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    return year is None or day <= monthrange(year, month)[1]


def _role(text: str, start: int, end: int, kind: str) -> str:
    before = text[max(0, start - 60) : start]
    cut = list(re.finditer(r"[.!?;]\s", before))
    if cut:
        before = before[cut[-1].end() :]
    after = text[end : end + 20]
    if kind in ("years", "year") and (_TITLE_AROUND.match(after) or _TITLE_BEFORE.search(before)):
        return "title"
    if _CITATION_BEFORE.search(before):
        return "citation"
    if _COMPARISON_BEFORE.search(before):
        return "comparison"
    if _DEADLINE_BEFORE.search(before):
        return "deadline"
    if _AS_OF_BEFORE.search(before):
        return "as_of"
    return "point"


def _months_spec(count_word: str, which: str) -> tuple | None:
    n = {"sáu": 6, "chín": 9}.get(count_word.lower()) or int(count_word)
    if not 1 <= n <= 12:
        return None
    return ("months", 1, n) if which.lower() == "đầu" else ("months", 13 - n, 12)


def find_dates(text: str) -> list[DateRef]:
    """Dates and periods in ``text`` (non-overlapping, in text order)."""
    found: list[DateRef] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str, spec: tuple, year: int | None, year2=None) -> None:
        if any(start < te and ts < end for ts, te in taken):
            return
        taken.append((start, end))
        role = _role(text, start, end, spec[0])
        found.append(
            DateRef(
                kind=kind,
                span_start=start,
                span_end=end,
                text=text[start:end],
                spec=spec,
                year=year,
                year2=year2,
                role=role,
            )
        )

    for name, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if name == "dmy_words":
                d, mo, y = int(m[1]), int(m[2]), int(m[3])
                if _valid_dm(d, mo, y):
                    add(s, e, "date", ("date", d, mo), y)
            elif name == "dmy":
                d, mo, y = int(m[1]), int(m[3]), int(m[4])
                if _valid_dm(d, mo, y):
                    add(s, e, "date", ("date", d, mo), y)
            elif name == "months":
                spec = _months_spec(m[1], m[2])
                if spec:
                    add(s, e, "period", spec, int(m[3]) if m[3] else None)
            elif name == "quarter":
                q = m[1].lower()
                quarter = _ROMAN.get(q) or int(q)
                add(s, e, "period", ("quarter", quarter), int(m[2]) if m[2] else None)
            elif name == "month":
                mo = int(m[1])
                if 1 <= mo <= 12:
                    add(s, e, "period", ("month", mo), int(m[2]))
            elif name == "years":
                y1, y2 = (m[1], m[2]) if m[1] else (m[3], m[4])
                if int(y1) <= int(y2):
                    add(s, e, "period", ("years",), int(y1), int(y2))
            elif name == "year":
                add(s, e, "period", ("year",), int(m[1]))
            elif name == "dm":
                d, mo = int(m[1]), int(m[2])
                if _valid_dm(d, mo):
                    s = m.start(1)
                    add(s, e, "date", ("date", d, mo), None)
    found.sort(key=lambda r: r.span_start)
    return found


# ---------------------------------------------------------------- quantities

_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_TOKEN = re.compile(r"\S+")
_RANK_VERB = r"(?:đứng|xếp|nằm|giữ|vươn\s+lên|tăng\s+lên|lên|tụt\s+xuống|tụt|đạt|chiếm)"
_RANK = re.compile(
    rf"{_RANK_VERB}\s+(?:ở\s+)?(?:vị\s+trí\s+(?:thứ\s+)?|hạng\s+(?:thứ\s+)?|thứ\s+)"
    rf"(?:(?P<n>\d{{1,2}})(?:\s*/\s*(?P<of>\d{{1,3}}))?(?![\d.,%])|(?P<w>nhất|nhì|hai|ba|tư|bốn)\b)"
    rf"|(?<!người\s)(?P<top>(?:đứng|dẫn|xếp)\s+(?:đầu|số\s+1))"
    rf"(?=\s+(?:cả\s+nước|toàn\s+quốc|trên\s+cả\s+nước|trong\s+cả\s+nước|các\s+tỉnh|khu\s+vực|"
    rf"vùng|về)\b)",
    re.I,
)
_NATIONAL_AFTER = re.compile(
    r"^\s*(?:/\s*\d+\s*)?(?:tỉnh,?\s*thành(?:\s+phố)?\s*)?(?:trên\s+|trong\s+)?"
    r"(?:toàn\s+quốc|cả\s+nước|các\s+tỉnh|63\s+tỉnh|34\s+tỉnh)",
    re.I,
)
_FRACTION = re.compile(
    rf"(?<![\d.,])(?P<a>{NUM})(?:\s+(?P<u>{_LETTER}+(?:\s+{_LETTER}+){{0,2}}))?\s*/\s*(?P<b>{NUM})(?![\d%])"
)
_PERCENT = re.compile(rf"(?<![\d.,])(?P<a>{NUM})\s*(?:%|phần\s+trăm)", re.I)
_SCALED = re.compile(rf"(?<![\d.,])(?P<a>{NUM})\s+(?P<s>{_SCALE_ALT})(?!{_LETTER})", re.I)
_PLAIN = re.compile(rf"(?<![\d.,])(?P<a>{NUM})(?![\d])")


_IDENT_JOIN = re.compile(r"\d[/-]*[^\W\d_]|[^\W\d_]-?\d", re.UNICODE)


def _identifier_spans(text: str) -> list[tuple[int, int]]:
    """Tokens joining digits to letters ("06/QĐ-TTg", "32-CT/TU", "QH15", "file-2024.png").

    "tài khoản/318.910" (a word, a slash, a number) is a fraction with a unit, not an id.
    """
    spans = [m.span() for m in _TIME.finditer(text)]
    for m in _TOKEN.finditer(text):
        core = m.group().strip("()[]\"'“”‘’,;:!?…").replace("%", "")
        if any(c.isdigit() for c in core) and _IDENT_JOIN.search(core):
            spans.append(m.span())
    return spans


_DOC_NUMBER_BEFORE = re.compile(
    r"(?:(?<!tổng )\bsố|đề án|quyết định|nghị quyết|nghị định|chỉ thị|kế hoạch|thông báo|"
    r"thông tư|công văn|khóa|khoá|mức|mức độ|cấp độ|giai đoạn|lần thứ|phiên bản)\s*$",
    re.I,
)


def _qualifier(text: str, start: int) -> str | None:
    m = _QUAL_RE.search(text[max(0, start - 14) : start])
    return QUALIFIERS[m[1].lower()] if m else None


def find_quantities(text: str, dates: list[DateRef] | None = None) -> list[Quantity]:
    """Ranks, fractions, percentages, scaled and plain numbers outside dates and identifiers."""
    if dates is None:
        dates = find_dates(text)
    blocked = [(d.span_start, d.span_end) for d in dates] + _identifier_spans(text)
    # a list marker like "2. " at the start of a line is not a figure
    blocked += [m.span(1) for m in re.finditer(r"(?:^|\n)\s*(\d{1,2})\.\s", text)]
    out: list[Quantity] = []

    def free(s: int, e: int) -> bool:
        return not any(s < be and bs < e for bs, be in blocked)

    def take(q: Quantity) -> None:
        out.append(q)
        blocked.append((q.start, q.end))

    for m in _RANK.finditer(text):
        if not free(*m.span()):
            continue
        if m["top"]:
            value, of = 1.0, None
        elif m["w"]:
            value, of = float(_RANK_WORDS[m["w"].lower()]), None
        else:
            value = float(m["n"])
            of = float(m["of"]) if m["of"] else None
        after = text[m.end() : m.end() + 40]
        national = bool(_NATIONAL_AFTER.match(after))
        take(Quantity("rank", value, m.start(), m.end(), m.group(), of, national=national))
    for m in _FRACTION.finditer(text):
        if not free(*m.span()):
            continue
        a, b = parse_number(m["a"]), parse_number(m["b"])
        if a is None or b is None:
            continue
        take(
            Quantity(
                "fraction",
                a,
                m.start(),
                m.end(),
                m.group(),
                denominator=b,
                inner_unit=m["u"],
                qualifier=_qualifier(text, m.start()),
            )
        )
    for m in _PERCENT.finditer(text):
        if not free(*m.span()):
            continue
        a = parse_number(m["a"])
        if a is not None:
            take(
                Quantity(
                    "percent",
                    a,
                    m.start(),
                    m.end(),
                    m.group(),
                    qualifier=_qualifier(text, m.start()),
                )
            )
    for m in _SCALED.finditer(text):
        if not free(*m.span()):
            continue
        a = parse_number(m["a"])
        if a is not None:
            scale = m["s"].lower()
            take(
                Quantity(
                    "number",
                    a * SCALES[scale],
                    m.start(),
                    m.end(),
                    m.group(),
                    scale=scale,
                    qualifier=_qualifier(text, m.start()),
                )
            )
    for m in _PLAIN.finditer(text):
        lead = text[max(0, m.start() - 20) : m.start()]
        if not free(*m.span()) or _DOC_NUMBER_BEFORE.search(lead):
            continue
        a = parse_number(m["a"])
        if a is not None:
            take(
                Quantity(
                    "number",
                    a,
                    m.start(),
                    m.end(),
                    m.group(),
                    qualifier=_qualifier(text, m.start()),
                )
            )
    out.sort(key=lambda q: q.start)
    return out


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in a short phrase ("gần 1,2 triệu", "đứng thứ 15/63")."""
    found = find_quantities(text)
    return found[0] if found else None


def parse_date(text: str) -> DateRef | None:
    """The first date or period in a short phrase ("quý III/2023", "đến ngày 30/11/2023")."""
    found = find_dates(text)
    return found[0] if found else None
