"""Answers a resolved indicator query in Vietnamese: every figure with its date and source.

Ranks are the ones published in the sources; league tables only order the provinces that have
approved figures in the system and say so. No figure → a plain "chưa có số liệu", never an
estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.geo.provinces import Province, load_provinces
from indicators.figures.indicators import Indicator, load_catalogue
from indicators.format import (
    format_date,
    format_figure,
    format_no_data,
    format_number,
    format_period,
    format_source,
    lower_first,
    merger_note,
)
from indicators.query import (
    Figure,
    compare,
    latest,
    ranking,
    reported_rank,
    trend,
)
from indicators.resolve import MIN_YEAR, Period

DEFAULT_TOP = 10


@dataclass(frozen=True)
class IndicatorQuery:
    """A complete query: what to answer, for which indicator, provinces and period."""

    kind: str
    indicator: Indicator
    provinces: tuple[Province, ...] = ()
    period: Period | None = None
    top_n: int | None = None


@dataclass(frozen=True)
class IndicatorReply:
    """The answer text, an optional PNG chart, and the observations it cites."""

    text: str
    chart_png: bytes | None = None
    chart_title: str | None = None
    cited: tuple[int, ...] = field(default=())


def _amount(fig: Figure) -> str:
    unit = fig.unit or fig.indicator.unit
    if unit == "%":
        return f"{format_number(fig.value)}%"
    if unit == "hạng":
        return f"hạng {format_number(fig.value)}" + (
            f"/{fig.rank_out_of}" if fig.rank_out_of else "")
    return f"{format_number(fig.value)} {unit}"


def _when(fig: Figure) -> str:
    return format_period(fig).removeprefix("tính đến ")


def _period_phrase(period: Period | None) -> str:
    if period is None:
        return ""
    if period.start.year <= MIN_YEAR:
        return f" tính đến {format_date(period.end)}"
    if period.label.isdigit():
        return f" trong năm {period.label}"
    return f" trong giai đoạn {format_date(period.start)}–{format_date(period.end)}"


def _related(url: str, province: Province, indicator: Indicator, period: Period | None) -> list:
    """Figures of the same concept (the rate for a count, …) when the one asked has none."""
    concept = load_catalogue().concept(indicator.concept)
    found = []
    for sibling in concept.indicators:
        if sibling.code == indicator.code:
            continue
        fig = latest(url, province, sibling, period)
        if fig is not None:
            found.append(fig)
    return found


def _value(url: str, q: IndicatorQuery) -> IndicatorReply:
    province = q.provinces[0]
    fig = latest(url, province, q.indicator, q.period)
    if fig is not None:
        return IndicatorReply(format_figure(fig), cited=(fig.id,))
    text = format_no_data(province, q.indicator, _period_phrase(q.period))
    related = _related(url, province, q.indicator, q.period)
    if related:
        text += " Số liệu liên quan đã có:\n" + "\n".join(f"- {format_figure(f)}" for f in related)
    predecessors = _predecessor_figures(url, province, q.indicator, q.period)
    if predecessors:
        text += (
            f"\nSố liệu của các tỉnh cũ nay thuộc {province.full_name} (không phải số liệu "
            "của tỉnh mới):\n" + "\n".join(f"- {format_figure(f)}" for f in predecessors)
        )
    cited = tuple(f.id for f in (*related, *predecessors))
    return IndicatorReply(text, cited=cited)


def _predecessor_figures(
    url: str, province: Province, indicator: Indicator, period: Period | None
) -> list[Figure]:
    """For a unit formed on 01/07/2025: figures of the pre-merger units it absorbed."""
    if not province.is_current:
        return []
    members = load_provinces().members(province)
    found = []
    for member in members:
        if member.slug == province.slug:
            continue  # the same-name unit already answers for the new one (query._codes)
        fig = latest(url, member, indicator, period)
        if fig is not None:
            found.append(fig)
    return found


def _rank(url: str, q: IndicatorQuery) -> IndicatorReply:
    province = q.provinces[0]
    fig = reported_rank(url, province, q.indicator, q.period)
    name = lower_first(q.indicator.name)
    if fig is None:
        text = (
            f"Các nguồn trong hệ thống chưa công bố thứ hạng của {province.name} về {name}"
            f"{_period_phrase(q.period)}. Tôi không tự tính thứ hạng khi thiếu số liệu của các "
            "tỉnh khác."
        )
        value = latest(url, province, q.indicator, q.period)
        if value is not None:
            text += f" Số liệu gần nhất: {format_figure(value)}"
            return IndicatorReply(text, cited=(value.id,))
        note = merger_note(province)
        return IndicatorReply(f"{text} {note}" if note else text)
    if fig.unit == "hạng":
        rank, out_of = int(fig.value), fig.rank_out_of
    else:
        rank, out_of = fig.rank, fig.rank_out_of
    out = f"/{out_of} tỉnh, thành phố" if out_of else ""
    text = (
        f"Về {lower_first(fig.indicator.name)}, {fig.province.name} xếp thứ {rank}{out}, "
        f"{format_period(fig)}"
    )
    if fig.unit != "hạng":
        text += f" (đạt {_amount(fig)})"
    text += f" — {format_source(fig)}."
    if out_of == 63 or (fig.reference_date and fig.reference_date.year < 2025):
        text += " Thứ hạng này tính trên 63 tỉnh, thành phố trước khi sắp xếp đơn vị hành chính."
    note = merger_note(fig.province)
    return IndicatorReply(f"{text} {note}" if note else text, cited=(fig.id,))


def _unit_label(province: Province) -> str:
    """"Hà Giang (tỉnh cũ, trước 01/07/2025)" for a pre-merger unit, else its name."""
    if province.is_current:
        return province.name
    return f"{province.name} (tỉnh cũ, trước 01/07/2025)"


def _dates_differ(figures: list[Figure]) -> bool:
    return len({f.reference_date for f in figures}) > 1


def _compare(url: str, q: IndicatorQuery) -> IndicatorReply:
    rows = compare(url, q.indicator, list(q.provinces), q.period)
    lines = [
        f"- {format_figure(f)}" if f else f"- {format_no_data(p, q.indicator)}" for p, f in rows
    ]
    figures = [f for _, f in rows if f is not None]
    text = f"So sánh {lower_first(q.indicator.name)}:\n" + "\n".join(lines)
    same_unit = [f for f in figures if (f.unit or f.indicator.unit) == q.indicator.unit]
    if len(same_unit) >= 2:
        best = max(same_unit, key=lambda f: f.value)
        others = ", ".join(
            f"{f.province.name} {_amount(f)}" for f in same_unit if f is not best
        )
        text += f"\nCao nhất: {best.province.name} ({_amount(best)}; so với {others})."
        if _dates_differ(same_unit):
            text += (
                " Lưu ý: các số liệu ở những thời điểm khác nhau nên chỉ so sánh để tham khảo."
            )
    elif len(figures) < 2:
        text += "\nChưa đủ số liệu của các tỉnh để so sánh."
    return IndicatorReply(text, cited=tuple(f.id for f in figures))


def _top(url: str, q: IndicatorQuery) -> IndicatorReply:
    figures = ranking(url, q.indicator, q.period)
    name = lower_first(q.indicator.name)
    if not figures:
        return IndicatorReply(
            f"Hiện chưa có số liệu đã được phê duyệt về {name}{_period_phrase(q.period)} "
            "của tỉnh, thành phố nào để xếp hạng."
        )
    shown = figures[: q.top_n or DEFAULT_TOP]
    lines = [
        f"{i}. {_unit_label(f.province)}: {_amount(f)} ({_when(f)})"
        for i, f in enumerate(shown, 1)
    ]
    sources = list(dict.fromkeys(format_source(f).removeprefix("nguồn: ") for f in shown))
    text = (
        f"Xếp hạng theo {name} — chỉ gồm {len(figures)} tỉnh, thành phố có số liệu đã phê "
        "duyệt trong hệ thống (mỗi tỉnh lấy số liệu mới nhất), không phải bảng xếp hạng "
        "chính thức toàn quốc:\n" + "\n".join(lines) + "\nNguồn: " + "; ".join(sources) + "."
    )
    if _dates_differ(shown):
        text += " Lưu ý: các số liệu ở những thời điểm khác nhau."
    if any(not f.province.is_current for f in shown):
        text += (" Đơn vị ghi \u201ctỉnh cũ\u201d là tỉnh trước khi sắp xếp ngày 01/07/2025; số "
                 "liệu của tỉnh cũ không phải số liệu của tỉnh mới.")
    return IndicatorReply(text, cited=tuple(f.id for f in shown))


def _trend(url: str, q: IndicatorQuery) -> IndicatorReply:
    province = q.provinces[0]
    figures = [f for f in trend(url, province, q.indicator)
               if (f.unit or f.indicator.unit) == q.indicator.unit]
    if not figures:
        return IndicatorReply(format_no_data(province, q.indicator))
    if len(figures) == 1:
        return IndicatorReply(
            "Hệ thống mới có một số liệu nên chưa thể nói tăng hay giảm: "
            + format_figure(figures[0]),
            cited=(figures[0].id,),
        )
    lines = [f"- {_when(f)}: {_amount(f)} ({format_source(f)})" for f in figures]
    first, last = figures[0], figures[-1]
    if last.value > first.value:
        change = f"tăng từ {_amount(first)} lên {_amount(last)}"
    elif last.value < first.value:
        change = f"giảm từ {_amount(first)} xuống {_amount(last)}"
    else:
        change = f"không đổi ({_amount(last)})"
    text = (
        f"Diễn biến {lower_first(q.indicator.name)} của {province.name}:\n"
        + "\n".join(lines)
        + f"\nTừ {_when(first)} đến {_when(last)}: {change}."
    )
    note = merger_note(province)
    return IndicatorReply(f"{text} {note}" if note else text, cited=tuple(f.id for f in figures))


def _chart(url: str, q: IndicatorQuery, over_time: bool) -> IndicatorReply:
    from indicators.charts import NoDataError, chart_provinces, chart_trend

    try:
        if over_time and len(q.provinces) == 1:
            png = chart_trend(url, q.provinces[0], q.indicator)
            figures = trend(url, q.provinces[0], q.indicator)
            title = f"{q.indicator.name} — {q.provinces[0].name}, theo thời gian"
        else:
            png = chart_provinces(url, q.indicator, list(q.provinces) or None, q.period)
            figures = (
                [f for _, f in compare(url, q.indicator, list(q.provinces), q.period) if f]
                if q.provinces else ranking(url, q.indicator, q.period)
            )
            title = f"{q.indicator.name} — so sánh giữa các tỉnh, thành phố"
    except NoDataError as exc:
        return IndicatorReply(str(exc) + " Tôi không vẽ biểu đồ từ số liệu ước tính.")
    sources = list(dict.fromkeys(format_source(f).removeprefix("nguồn: ") for f in figures))
    text = (
        f"Biểu đồ: {title} ({len(figures)} số liệu đã phê duyệt, ghi rõ thời điểm dưới mỗi "
        f"cột/điểm). Nguồn: {'; '.join(sources)}."
    )
    return IndicatorReply(text, chart_png=png, chart_title=title,
                          cited=tuple(f.id for f in figures))


def answer_query(url: str, q: IndicatorQuery, *, chart_over_time: bool = False) -> IndicatorReply:
    """The reply to a complete query (provinces required except for "top" and charts)."""
    if q.kind == "chart":
        return _chart(url, q, chart_over_time)
    if q.kind == "top" or (q.kind == "compare" and len(q.provinces) < 2 and not q.provinces):
        return _top(url, q)
    if q.kind == "compare" and len(q.provinces) >= 2:
        return _compare(url, q)
    if q.kind == "rank":
        return _rank(url, q)
    if q.kind == "trend":
        return _trend(url, q)
    return _value(url, q)
