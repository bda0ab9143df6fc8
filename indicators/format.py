"""Vietnamese answer sentences for figures (thousands ".", decimal ",", dates dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt
import re

from core.geo.provinces import Province, load_provinces
from indicators.figures.indicators import Indicator, load_catalogue
from indicators.query import Figure
from vntext.dates import format_date_vi as format_date  # dd/mm/yyyy, one formatter


def format_number(value: float, max_decimals: int = 2) -> str:
    """96.9 → "96,9"; 1818 → "1.818"; 1234567.5 → "1.234.567,5"; 100.0 → "100"."""
    text = f"{abs(value):,.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return ("-" if value < 0 and text != "0" else "") + text


def format_period(fig: Figure) -> str:
    """"tính đến 03/12/2023", "năm 2023", "6 tháng đầu năm 2023", "giai đoạn 2022–2023"…"""
    if fig.as_of:
        return f"tính đến {format_date(fig.as_of)}"
    label = fig.period_label
    if re.fullmatch(r"\d{4}", label):
        return f"năm {label}"
    if m := re.fullmatch(r"(\d{4})-H([12])", label):
        return f"6 tháng {'đầu' if m[2] == '1' else 'cuối'} năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        return f"quý {m[2]} năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        return f"tháng {int(m[2])}/{m[1]}"
    if m := re.fullmatch(r"(\d{4})\.\.(\d{4})", label):
        return f"giai đoạn {m[1]}–{m[2]}"
    if fig.period_start and fig.period_end:
        return f"từ {format_date(fig.period_start)} đến {format_date(fig.period_end)}"
    return "chưa rõ thời điểm"


def _count_noun(indicator: Indicator) -> str | None:
    """The counted noun of a rate ("thủ tục" for online_services_rate), from its concept."""
    concept = load_catalogue().concept(indicator.concept)
    count = concept.member("count", indicator.aspect)
    return count.unit if count else None


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).rstrip(" .:;,")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" .:;,") + "…"


def format_source(fig: Figure) -> str:
    """"nguồn: <title> (<number>, <date>)"."""
    extras = [x for x in (fig.source_number, fig.source_date and format_date(fig.source_date))
              if x]
    title = _shorten(fig.source_title or "không rõ nguồn")
    return "nguồn: " + title + (f" ({', '.join(extras)})" if extras else "")


def merger_note(province: Province) -> str | None:
    """"Hà Giang nay thuộc tỉnh Tuyên Quang (từ 01/07/2025)." for a merged unit."""
    registry = load_provinces()
    if province.is_current:
        return None
    current = registry.current_unit(province)
    members = registry.members(current)
    day = format_date(province.valid_to + dt.timedelta(days=1)) if province.valid_to else \
        format_date(registry.merger_date)
    if current.slug == province.slug:
        if len(members) == 1:
            return None
        others = ", ".join(m.name for m in members if m.code != province.code)
        return (
            f"Từ {day}, {province.name} hợp nhất với {others} thành {current.full_name} (mới);"
            f" số liệu trên là của {province.full_name} cũ."
        )
    return f"{province.name} nay thuộc {current.full_name} (từ {day})."


def lower_first(text: str) -> str:
    """"Tỷ lệ …" → "tỷ lệ …" inside a sentence (acronyms such as "DVC" kept)."""
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


def format_figure(fig: Figure) -> str:
    """One answer line (plus the merger note when the province has merged)."""
    ind = fig.indicator
    unit = fig.unit or ind.unit
    if unit == "%":
        amount = f"đạt {format_number(fig.value)}%"
    elif unit == "hạng":
        out_of = f"/{fig.rank_out_of}" if fig.rank_out_of else ""
        amount = f"xếp thứ {format_number(fig.value)}{out_of}"
    else:
        amount = f"là {format_number(fig.value)} {unit}"
    details = []
    if fig.numerator is not None and fig.denominator is not None:
        noun = _count_noun(ind) if unit == "%" else unit
        frac = f"{format_number(fig.numerator)}/{format_number(fig.denominator)}"
        details.append(f"{frac} {noun}" if noun else frac)
    elif fig.numerator is not None and unit == "%":
        noun = _count_noun(ind)
        details.append(f"{format_number(fig.numerator)} {noun or ''}".strip())
    if fig.rank is not None and unit != "hạng":
        out_of = f"/{fig.rank_out_of}" if fig.rank_out_of else ""
        details.append(f"xếp thứ {fig.rank}{out_of}")
    detail = f" ({'; '.join(details)})" if details else ""
    line = (
        f"{ind.name} của {fig.province.name} {amount}{detail}, {format_period(fig)}"
        f" — {format_source(fig)}."
    )
    note = merger_note(fig.province)
    return f"{line} {note}" if note else line


def format_no_data(province: Province, indicator: Indicator, when: str = "") -> str:
    """Plain "no figure" sentence — never an estimate; ``when`` e.g. " trong năm 2025"."""
    line = (
        f"Hiện chưa có số liệu đã được phê duyệt về {lower_first(indicator.name)} "
        f"của {province.name}{when}."
    )
    note = merger_note(province)
    return f"{line} {note}" if note else line


def format_answer(fig: Figure | None, province: Province, indicator: Indicator) -> str:
    """The figure's line, or the "chưa có số liệu" sentence."""
    return format_figure(fig) if fig else format_no_data(province, indicator)
