"""Reads an official's indicator question: which provinces, which indicator, which period,
and what is asked (a value, a rank, a comparison, a league table, a trend or a chart).

Works on any spelling the assistant accepts — with or without diacritics, abbreviations
("dvc", "hcm") — through the shared normalisation (``vntext``) used by the NLU and retrieval.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.geo.provinces import Province, load_provinces
from indicators.figures.indicators import Indicator, load_catalogue, match_key
from indicators.resolve import MAX_YEAR, MIN_YEAR, Period, period_label
from vntext import fold_accents, has_diacritics, normalize_tone_marks

KINDS = ("value", "rank", "compare", "top", "trend", "chart")
# Earliest year with Đề án 06 figures (the plan dates from 06/01/2022).
FIRST_DATA_YEAR = 2022

_CHART = ("bieu do", "do thi", "ve bieu", "chart", "ve do")
_TREND = ("xu huong", "tang hay giam", "giam hay tang", "qua cac nam", "qua cac thang",
          "qua cac ky", "qua tung nam", "dien bien", "theo thoi gian", "bien dong",
          "so voi thang truoc", "so voi nam truoc", "so voi ky truoc", "thay doi the nao",
          "tien do qua")
_COMPARE = ("so sanh", "so voi", "cao hon", "thap hon", "hon hay kem", "tinh nao cao hon",
            "chenh lech")
_TOP = ("top", "dan dau", "cao nhat", "thap nhat", "bang xep hang", "xep hang cac tinh",
        "tinh nao", "nhung tinh", "cac tinh", "ca nuoc")
_RANK = ("xep thu", "thu may", "dung thu", "xep hang", "thu hang", "hang may", "thu bao nhieu")
_RATE_CUES = ("ty le", "ti le", "phan tram", "%", "bao nhieu phan")
_COUNT_CUES = ("so luong", "bao nhieu tai khoan", "bao nhieu ho so", "bao nhieu the",
               "bao nhieu thu tuc", "bao nhieu dich vu", "bao nhieu nhiem vu",
               "bao nhieu giao dich", "bao nhieu nguoi", "bao nhieu co so", "tong so")
_FOLLOW_UP = ("thi sao", "the nao", "con ", "vay con", "the con")
# words after "tỉnh" / "thành phố" that do not start a place name
_NOT_A_NAME = {
    "nao", "minh", "toi", "nha", "khac", "ban", "co", "da", "dat", "dan", "xep", "nay",
    "do", "thanh", "va", "voi", "la", "cua", "ve", "trong", "cung", "moi", "nhung", "cac",
    "tren", "duoi", "thu", "cao", "thap", "ta", "em", "anh", "chi", "hien", "hinh", "den",
    "trang", "toan", "nang", "cach", "tien", "ra", "so", "lai", "ty", "ti", "tu",
}
# "tỉnh X" / "thành phố X": with diacritics only the real words count ("tình hình", "tính
# đến" are not "tỉnh"); text typed without diacritics falls back to the folded form.
_PLACE_WORD_ACCENTED = re.compile(r"(?<!\w)(?:tỉnh|thành phố|tp\.?)\s+((?:\w+\s*){1,3})")
_PLACE_WORD = re.compile(r"(?<![a-z0-9])(?:tinh|thanh pho|tp)\s+((?:[a-z]+\s*){1,3})")
# the asker's own province ("tỉnh mình", "địa phương tôi")
_OWN_PROVINCE = ("tinh minh", "tinh nha", "tinh toi", "tinh ta", "tinh em", "dia phuong minh",
                 "dia phuong toi", "don vi minh", "tinh cua minh", "tinh cua toi")
_TOP_N = re.compile(r"(?<![a-z0-9])top\s*(\d{1,2})(?![0-9])")


@dataclass(frozen=True)
class IndicatorQuestion:
    """What an indicator question asks; ``problem`` is a Vietnamese reason it cannot be read."""

    kind: str
    provinces: tuple[Province, ...]
    indicator: Indicator | None
    period: Period | None
    top_n: int | None = None
    unknown_places: tuple[str, ...] = ()
    own_province: bool = False
    problem: str | None = None
    follow_up: bool = False
    chart_over_time: bool = False


def _has(key: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {key} "
    return any(
        (f" {p} " in padded) if not p.endswith(" ") else (f" {p}" in padded) for p in phrases
    )


@lru_cache(maxsize=1)
def _indicator_phrases() -> tuple[tuple[re.Pattern[str], int, Indicator, bool], ...]:
    """(pattern, length, indicator, names an aspect or the indicator itself) per phrase."""
    catalogue = load_catalogue()
    out = []
    for concept in catalogue.concepts:
        concept_keys = {match_key(m) for m in concept.mentions}
        for ind in concept.indicators:
            for phrase in ind.synonyms:
                key = match_key(phrase)
                if not key:
                    continue
                pattern = re.compile(r"(?<![0-9a-z])" + re.escape(key) + r"(?![0-9a-z])")
                out.append((pattern, len(key), ind, key not in concept_keys))
    return tuple(out)


def find_indicator_in(text: str) -> Indicator | None:
    """The indicator a free question names (longest phrase; rate vs count from the wording)."""
    key = match_key(text)
    if not key:
        return None
    best: dict[str, tuple[int, bool]] = {}
    for pattern, length, ind, specific in _indicator_phrases():
        if pattern.search(key):
            prev = best.get(ind.code)
            if prev is None or (length, specific) > prev:
                best[ind.code] = (length, specific)
    if not best:
        return None
    wants_rate = _has(key, _RATE_CUES)
    wants_count = _has(key, _COUNT_CUES) or bool(re.match(r"so (?!sanh|voi|lieu)", key))
    catalogue = load_catalogue()

    def score(code: str) -> tuple:
        ind = catalogue.indicator(code)
        length, specific = best[code]
        kind_fit = (ind.kind == "rate" and wants_rate) or (ind.kind == "count" and wants_count)
        return (length, specific, kind_fit, ind.kind == "rate" and not wants_count)

    chosen = catalogue.indicator(max(best, key=score))
    return measured_as_asked(chosen, key)


# words that ask for achievement against an assigned target (chỉ tiêu giao)
_TARGET_CUES = ("chi tieu", "so voi chi tieu", "ke hoach giao", "duoc giao")


def measured_as_asked(indicator: Indicator, key: str) -> Indicator:
    """The same figure measured as the question asks: against an assigned target when it
    names one ("so với chỉ tiêu"), else as a share of those concerned."""
    wants = "target" if _has(key, _TARGET_CUES) else "base"
    if indicator.measure == wants:
        return indicator
    concept = load_catalogue().concept(indicator.concept)
    other = concept.member(indicator.kind, indicator.aspect, wants)
    return other if other is not None and other.measure == wants else indicator


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _PeriodProblem(
            f"Năm {year} không hợp lệ. Số liệu Đề án 06 có từ năm {FIRST_DATA_YEAR} "
            f"đến nay; anh/chị hỏi lại với một năm từ {FIRST_DATA_YEAR} đến {today.year}."
        )
    return year


class _PeriodProblem(ValueError):
    """A period that cannot be right (Vietnamese message for the user)."""


def _span(start: dt.date, end: dt.date) -> Period:
    return Period(start, end, period_label(start, end))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def find_period_in(text: str, today: dt.date | None = None) -> Period | None:
    """The period a question asks about, or None; raises _PeriodProblem for absurd ones."""
    today = today or dt.date.today()
    key = match_key(text)
    period: Period | None = None
    if m := re.search(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", key):
        year = _year(m[3], today)
        try:
            day = dt.date(year, int(m[2]), int(m[1]))
        except ValueError:
            raise _PeriodProblem(
                f"Ngày {m[1]}/{m[2]}/{m[3]} không có trên lịch; anh/chị kiểm tra lại ngày."
            ) from None
        period = _span(dt.date(MIN_YEAR, 1, 1), day)
    elif m := re.search(r"(?:6|sau) thang (dau|cuoi) nam (\d{4})", key):
        year = _year(m[2], today)
        period = _span(dt.date(year, 1, 1), dt.date(year, 6, 30)) if m[1] == "dau" else _span(
            dt.date(year, 7, 1), dt.date(year, 12, 31))
    elif m := re.search(r"quy (iv|iii|ii|i|[1-4])(?:\s*(?:/|nam)\s*(\d{4}))?(?![0-9a-z])", key):
        quarter = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m[1]) or int(m[1])
        year = _year(m[2], today) if m[2] else today.year
        period = _span(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    elif m := re.search(r"thang (\d{1,2})\s*(?:/|nam)\s*(\d{4})", key):
        month, year = int(m[1]), _year(m[2], today)
        if not 1 <= month <= 12:
            raise _PeriodProblem(f"Tháng {month} không hợp lệ; anh/chị kiểm tra lại.")
        period = _span(dt.date(year, month, 1), _month_end(year, month))
    elif m := re.search(r"(?:nam|giai doan)\s+(\d{4})\s*(?:-|–|den)\s*(\d{4})", key):
        first, last = _year(m[1], today), _year(m[2], today)
        if last < first:
            raise _PeriodProblem("Giai đoạn anh/chị hỏi kết thúc trước khi bắt đầu.")
        period = _span(dt.date(first, 1, 1), dt.date(last, 12, 31))
    elif m := re.search(r"nam (\d{3,})(?![0-9])", key):
        year = _year(m[1], today)
        period = _span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    elif _has(key, ("nam nay",)):
        period = _span(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    elif _has(key, ("nam ngoai", "nam truoc", "nam qua")):
        period = _span(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    if period is not None and period.start > today:
        raise _PeriodProblem(
            "Thời điểm anh/chị hỏi chưa tới nên chưa có số liệu. Tôi chỉ trả lời số liệu đã "
            "được báo cáo và phê duyệt — không ước tính."
        )
    return period


def _unknown_places(text: str, key: str, provinces: tuple[Province, ...]) -> tuple[str, ...]:
    """Names after "tỉnh"/"thành phố" that are no province (only when none was found)."""
    if provinces:
        return ()
    names = []
    if has_diacritics(text):
        low = normalize_tone_marks(unicodedata.normalize("NFC", text.lower()))
        spans = [fold_accents(m[1]) for m in _PLACE_WORD_ACCENTED.finditer(low)]
    else:
        spans = [m[1] for m in _PLACE_WORD.finditer(key)]
    for span in spans:
        span = " ".join(re.sub(r"[^\w\s]", " ", span).split())
        words = []
        for word in span.split():
            if word in _NOT_A_NAME or word.isdigit():
                break
            words.append(word)
        if words:
            names.append(" ".join(words))
    return tuple(names)


# what may surround a place name sent alone ("tỉnh Hà Giang ạ")
_PLACE_FILLERS = frozenset("tinh thanh pho tp a nhe nha thi sao o cua va voi".split())


def _only_places(text: str, mentions: list) -> bool:
    """The message is nothing but province names (and words such as "tỉnh", "ạ")."""
    if not mentions:
        return False
    rest, end = [], 0
    for mention in sorted(mentions, key=lambda m: m.start):
        rest.append(text[end:mention.start])
        end = mention.end
    rest.append(text[end:])
    return all(word in _PLACE_FILLERS for word in match_key(" ".join(rest)).split())


def parse_question(text: str, today: dt.date | None = None) -> IndicatorQuestion:
    """Reads one question; never raises for user input (problems go to ``problem``)."""
    text = (text or "")[:1000]
    key = match_key(text)
    mentions = load_provinces().find(text)
    provinces: list[Province] = []
    for mention in mentions:
        if mention.province not in provinces:
            provinces.append(mention.province)
    indicator = find_indicator_in(text)
    problem = None
    try:
        period = find_period_in(text, today)
    except _PeriodProblem as exc:
        period, problem = None, str(exc)
    top_n = None
    if m := _TOP_N.search(key):
        top_n = max(1, min(int(m[1]), 34))
    own = _has(key, _OWN_PROVINCE)
    chart = _has(key, _CHART)
    trend = _has(key, _TREND)
    if chart:
        kind = "chart"
    elif trend:
        kind = "trend"
    elif len(provinces) >= 2 or (_has(key, _COMPARE) and len(provinces) >= 2):
        kind = "compare"
    elif _has(key, _RANK) and (provinces or own):
        kind = "rank"
    elif (top_n or _has(key, _TOP) or _has(key, _RANK)) and not provinces:
        kind = "top"
    else:
        kind = "value"
    # "còn Hà Nội thì sao?", or a place name alone ("Hà Giang"): the same question for it
    follow_up = indicator is None and (_has(key, _FOLLOW_UP) or _only_places(text, mentions))
    return IndicatorQuestion(
        kind=kind,
        provinces=tuple(provinces),
        indicator=indicator,
        period=period,
        top_n=top_n,
        unknown_places=() if own else _unknown_places(text, key, tuple(provinces)),
        own_province=own,
        problem=problem,
        follow_up=follow_up,
        chart_over_time=chart and (trend or len(provinces) == 1),
    )
