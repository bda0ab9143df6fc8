"""PNG charts of an indicator across provinces (bar) or over time (line), Vietnamese labels."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from indicators.format import format_date, format_number  # noqa: E402
from indicators.query import (  # noqa: E402
    Figure,
    compare,
    indicator_of,
    province_of,
    ranking,
    trend,
)


class NoDataError(LookupError):
    """Nothing to draw (message in Vietnamese)."""


def _footnote(figures: list[Figure]) -> str:
    sources = []
    for f in figures:
        title = " ".join((f.source_title or "không rõ nguồn").split())
        if len(title) > 60:
            title = title[:60].rsplit(" ", 1)[0] + "…"
        when = f.source_date
        item = f"{title}" + (f" ({format_date(when)})" if when else "")
        if item not in sources:
            sources.append(item)
    text = "Nguồn: " + "; ".join(sources[:3])
    if len(sources) > 3:
        text += f"; và {len(sources) - 3} nguồn khác"
    return text


def _when(f: Figure) -> str:
    return format_date(f.reference_date) if f.reference_date else f.period_label


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _ylabel(figures: list[Figure]) -> str:
    unit = figures[0].unit or figures[0].indicator.unit
    return "Tỷ lệ (%)" if unit == "%" else f"Số lượng ({unit})"


def chart_provinces(
    url: str,
    indicator: str,
    provinces: list[str] | None = None,
    period: str | None = None,
) -> bytes:
    """Bar chart of the latest figure per province (all provinces with data when None)."""
    ind = indicator_of(indicator)
    if provinces:
        figures = [f for _, f in compare(url, ind, provinces, period) if f is not None]
    else:
        figures = ranking(url, ind, period)
    figures = [f for f in figures if (f.unit or ind.unit) == ind.unit]
    if not figures:
        raise NoDataError(f"Chưa có số liệu đã phê duyệt về {ind.name.lower()} để vẽ biểu đồ.")
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(figures) + 2), 4.5))
    names = [f"{f.province.name}\n({_when(f)})" for f in figures]
    bars = ax.bar(names, [f.value for f in figures], color="#1f77b4")
    for bar, f in zip(bars, figures, strict=True):
        ax.annotate(format_number(f.value), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=9)
    ax.set_title(ind.name, fontsize=11)
    ax.set_ylabel(_ylabel(figures))
    ax.tick_params(axis="x", labelsize=8)
    fig.text(0.01, -0.02, _footnote(figures), fontsize=7, ha="left", va="top")
    return _png(fig)


def chart_trend(url: str, province: str, indicator: str) -> bytes:
    """Line chart of a province's figures over time."""
    unit = province_of(province)
    ind = indicator_of(indicator)
    figures = [f for f in trend(url, unit, ind) if (f.unit or ind.unit) == ind.unit]
    if not figures:
        raise NoDataError(
            f"Chưa có số liệu đã phê duyệt về {ind.name.lower()} của {unit.name} để vẽ biểu đồ."
        )
    fig, ax = plt.subplots(figsize=(7, 4.5))
    days = [f.reference_date for f in figures]
    values = [f.value for f in figures]
    ax.plot(days, values, marker="o", color="#d62728")
    for day, f in zip(days, figures, strict=True):
        ax.annotate(format_number(f.value), (day, f.value), textcoords="offset points",
                    xytext=(0, 6), ha="center", fontsize=9)
    ax.set_title(f"{ind.name} — {unit.name}", fontsize=11)
    ax.set_ylabel(_ylabel(figures))
    ax.set_xlabel("Thời điểm")
    ax.set_xticks(days)
    ax.set_xticklabels([format_date(d) for d in days], rotation=30, ha="right", fontsize=8)
    fig.text(0.01, -0.05, _footnote(figures), fontsize=7, ha="left", va="top")
    return _png(fig)
