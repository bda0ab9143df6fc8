"""Precision / recall of the extractor against a gold annotation of report figures.

A proposal matches a gold figure when province, indicator, value (±1 % relative) and date
agree. Dates agree when both give the same day or period, when they end on the same day, or
when one is a day inside the other's period. Each gold figure matches at most one proposal;
any other proposal counts as a false positive.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indicators.figures.extract import ProposedObservation, extract_figures
from indicators.figures.numbers import find_dates

REPO_ROOT = Path(__file__).resolve().parents[2]
SECONDARY_FIELDS = ("numerator", "denominator", "target", "rank", "rank_out_of")


def default_seeds_dir() -> Path:
    """``$TROLY_SEEDS_DIR`` or ``<repo>/../shared/seeds``."""
    return Path(os.environ.get("TROLY_SEEDS_DIR") or REPO_ROOT.parent / "shared" / "seeds")


@dataclass(frozen=True)
class Span:
    """A day (start == end, point) or a period."""

    start: dt.date
    end: dt.date
    point: bool


def parse_when(as_of: Any = None, period: Any = None) -> Span | None:
    """Gold dates: as_of "2023-12-03"; period "2023", "2023-H1", "2023-Q3", "2023-10" or
    "2022..2023"."""
    if as_of is not None:
        day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
        return Span(day, day, True)
    if period is None:
        return None
    text = str(period)
    if m := re.fullmatch(r"(\d{4})\.\.(\d{4})", text):
        return Span(dt.date(int(m[1]), 1, 1), dt.date(int(m[2]), 12, 31), False)
    if m := re.fullmatch(r"(\d{4})-H([12])", text):
        y, h = int(m[1]), int(m[2])
        return Span(
            dt.date(y, 1 if h == 1 else 7, 1),
            dt.date(y, 6 if h == 1 else 12, 30 if h == 1 else 31),
            False,
        )
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        ref = find_dates(f"quý {m[2]}/{m[1]}")[0]
        return Span(ref.start, ref.end, False)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        ref = find_dates(f"tháng {int(m[2])}/{m[1]}")[0]
        return Span(ref.start, ref.end, False)
    if re.fullmatch(r"\d{4}", text):
        y = int(text)
        return Span(dt.date(y, 1, 1), dt.date(y, 12, 31), False)
    raise ValueError(f"unknown period {period!r}")


def proposal_when(obs: ProposedObservation) -> Span | None:
    """Date span of a proposal."""
    if obs.as_of:
        return Span(obs.as_of, obs.as_of, True)
    if obs.period_start and obs.period_end:
        return Span(obs.period_start, obs.period_end, False)
    return None


def dates_agree(gold: Span | None, got: Span | None) -> bool:
    """Same day/period, same end day, or a day inside the other's period."""
    if gold is None:
        return True
    if got is None:
        return False
    if gold.end == got.end:
        return True
    if gold.point and got.start <= gold.start <= got.end:
        return True
    return got.point and gold.start <= got.start <= gold.end


def values_agree(gold: float, got: float, rel: float = 0.01) -> bool:
    """Equal within ``rel`` relative tolerance."""
    return abs(gold - got) <= rel * max(abs(gold), 1e-9)


@dataclass
class GoldFigure:
    """One figure of the gold annotation."""

    file: str
    province: str
    indicator: str
    value: float
    unit: str
    when: Span | None
    anchor: str
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """Short Vietnamese description for reports."""
        when = _fmt_span(self.when)
        value = f"{self.value:g} {self.unit}"
        return f"{self.province} {self.indicator} = {value} ({when}) «{self.anchor}»"


@dataclass
class GoldDocument:
    """Gold figures of one report, with the metadata given to the extractor."""

    file: str
    doc_meta: dict[str, Any]
    figures: list[GoldFigure]


def load_gold(path: Path | str) -> list[GoldDocument]:
    """Read a gold YAML file."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    docs = []
    for name, spec in data["documents"].items():
        figures = []
        for row in spec.get("figures") or ():
            figures.append(
                GoldFigure(
                    file=name,
                    province=row["province"],
                    indicator=row["indicator"],
                    value=float(row["value"]),
                    unit=str(row.get("unit", "")),
                    when=parse_when(row.get("as_of"), row.get("period")),
                    anchor=row["anchor"],
                    extra={k: row[k] for k in SECONDARY_FIELDS if k in row},
                )
            )
        docs.append(GoldDocument(name, dict(spec.get("doc_meta") or {}), figures))
    return docs


@dataclass
class Evaluation:
    """Counts and the unmatched items on both sides."""

    true_positives: list[tuple[GoldFigure, ProposedObservation]] = field(default_factory=list)
    misses: list[GoldFigure] = field(default_factory=list)
    false_positives: list[tuple[str, ProposedObservation]] = field(default_factory=list)
    field_mismatches: list[tuple[GoldFigure, str, Any, Any]] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        tp, fp = len(self.true_positives), len(self.false_positives)
        return tp / (tp + fp) if tp + fp else 0.0

    @property
    def recall(self) -> float:
        tp, fn = len(self.true_positives), len(self.misses)
        return tp / (tp + fn) if tp + fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _agrees(g: GoldFigure, o: ProposedObservation) -> bool:
    return (
        g.province == o.province
        and g.indicator == o.indicator
        and values_agree(g.value, o.value)
        and dates_agree(g.when, proposal_when(o))
    )


def match_document(
    gold: list[GoldFigure], proposals: list[ProposedObservation], file: str, result: Evaluation
) -> None:
    """Pair gold figures with proposals (exact dates first) and record the outcome."""
    free = list(range(len(proposals)))
    pairs: dict[int, int] = {}
    for exact in (True, False):
        for gi, g in enumerate(gold):
            if gi in pairs:
                continue
            for pi in free:
                o = proposals[pi]
                if not _agrees(g, o):
                    continue
                if exact and g.when != proposal_when(o) and g.when is not None:
                    continue
                pairs[gi] = pi
                free.remove(pi)
                break
    for gi, g in enumerate(gold):
        if gi not in pairs:
            result.misses.append(g)
            continue
        o = proposals[pairs[gi]]
        result.true_positives.append((g, o))
        for name, want in g.extra.items():
            got = getattr(o, name)
            if got is None or not values_agree(float(want), float(got)):
                result.field_mismatches.append((g, name, want, got))
    for pi in free:
        result.false_positives.append((file, proposals[pi]))


def evaluate(gold_path: Path | str, seeds_dir: Path | str) -> Evaluation:
    """Run the extractor on every gold report found in ``seeds_dir`` and score it."""
    result = Evaluation()
    seeds = Path(seeds_dir)
    for doc in load_gold(gold_path):
        path = seeds / doc.file
        if not path.exists():
            result.missing_files.append(doc.file)
            continue
        proposals = extract_figures(path.read_text(encoding="utf-8"), doc_meta=doc.doc_meta)
        match_document(doc.figures, proposals, doc.file, result)
    return result


def _fmt_span(span: Span | None) -> str:
    if span is None:
        return "không rõ thời điểm"
    if span.point:
        return span.start.strftime("%d/%m/%Y")
    return f"{span.start:%d/%m/%Y}–{span.end:%d/%m/%Y}"


def format_report(result: Evaluation) -> str:
    """Vietnamese plain-text report: P/R/F1, then misses, false positives, field mismatches."""
    tp, fp, fn = len(result.true_positives), len(result.false_positives), len(result.misses)
    lines = [
        f"Độ chính xác (precision): {result.precision:.3f}  ({tp}/{tp + fp})",
        f"Độ phủ (recall):          {result.recall:.3f}  ({tp}/{tp + fn})",
        f"F1:                       {result.f1:.3f}",
    ]
    if result.missing_files:
        lines.append("Thiếu tệp báo cáo: " + ", ".join(result.missing_files))
    if result.misses:
        lines.append(f"\nBỏ sót ({fn}):")
        lines += [f"  - [{g.file}] {g.describe()}" for g in result.misses]
    if result.false_positives:
        lines.append(f"\nĐề xuất sai ({fp}):")
        for file, o in result.false_positives:
            lines.append(
                f"  - [{file}] {o.province} {o.indicator} = {o.value:g} {o.unit} "
                f"({_fmt_span(proposal_when(o))}) «{o.evidence.get('figure', '')}»"
            )
    if result.field_mismatches:
        lines.append(f"\nSai trường phụ ở số liệu khớp ({len(result.field_mismatches)}):")
        for g, name, want, got in result.field_mismatches:
            lines.append(f"  - [{g.file}] {g.indicator} {g.value:g}: {name} cần {want}, có {got}")
    return "\n".join(lines)
