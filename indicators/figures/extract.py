"""Propose indicator observations from a Vietnamese provincial report.

Pipeline: paragraphs → sentences → clauses (split at ";" and ":"). In each clause numbers are
grouped into figures ("X/Y …, đạt Z%" is one figure, a rank next to a value joins it). Each
figure gets an indicator (the noun after the number, then "tỷ lệ <concept>", then the nearest
concept mention in the clause, then in the sentence), a date or period (sentence, paragraph,
then the document's reporting period) and a province (sentence, paragraph, ``doc_meta``, then
the province the document names most). Aims ("phấn đấu…", "từ 80% trở lên"), changes
("tăng 64,8%") and list names ("25 dịch vụ công thiết yếu") are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from core.geo.provinces import (
    ProvinceMention,
    ProvinceRegistry,
    choose_unit,
    load_provinces,
)
from indicators.figures.indicators import Catalogue, Concept, load_catalogue, match_key
from indicators.figures.numbers import DateRef, Quantity, find_dates, find_quantities
from vntext import aligned_key
from vntext.normalize import normalize_mapped

_ABBREV = {"tp", "ts", "ths", "pgs", "gs", "bs", "ks", "q", "p", "tt", "th", "st", "mr", "dr"}
_CLAUSE_BREAK = re.compile(r";|:(?!\d)")
_WINDOW_STOP = re.compile(r"[,;:()\[\]\n.!?–]")
_NON_WORD = re.compile(r"[^\w%/]")
_TYLE = "ty le"


class ProposedObservation(BaseModel):
    """One figure proposed for review: what, where, when, how much, and the quoted text."""

    province: str | None
    province_code: str | None = None
    indicator: str
    value: float
    unit: str
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    rank: int | None = None
    rank_out_of: int | None = None
    qualifier: str | None = None
    as_of: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    quote: str
    start: int
    end: int
    confidence: float
    evidence: dict[str, str] = {}

    @property
    def reference_date(self) -> dt.date | None:
        """The day the figure holds for: ``as_of`` or the end of the period."""
        return self.as_of or self.period_end


# ---------------------------------------------------------------- text structure


@dataclass
class _Sentence:
    start: int
    end: int
    para: int
    clauses: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    concept: str | None  # None for the "tỷ lệ" marker
    aspect: str | None = None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append(m.span())
    return out


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a paragraph at ". ! ? …" followed by a capital, keeping abbreviations together."""
    para = text[start:end]
    cuts = [0]
    for m in re.finditer(r"[.!?…]+[\"”’)]*\s+", para):
        nxt = para[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in '“"(–-•'):
            continue
        prev = re.search(r"(\S+)$", para[: m.start()])
        word = prev.group(1).strip('("“').lower() if prev else ""
        if word in _ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        if word.isdigit() and not para[cuts[-1] : m.start() - len(word)].strip():
            continue  # "1. Kết quả": list marker
        cuts.append(m.end())
    cuts.append(len(para))
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        seg = para[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            spans.append((start + a + lead, start + a + trail))
    return spans


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _phrase_regex(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in match_key(phrase).split()]
    return re.compile(r"(?<![0-9a-z])" + r"\s+".join(words) + r"(?![0-9a-z])")


class _Matcher:
    """Concept mentions found in accent-folded matching text, mapped to source offsets."""

    def __init__(self, catalogue: Catalogue) -> None:
        phrases: dict[str, tuple[str | None, str | None]] = {_TYLE: (None, None)}
        for c in catalogue.concepts:
            for p in c.mentions:
                phrases.setdefault(match_key(p), (c.id, None))
            for a in c.aspects:
                for p in a.mentions:
                    phrases[match_key(p)] = (c.id, a.name)
        self.patterns = [(_phrase_regex(k), v) for k, v in phrases.items() if k]

    def find(self, text: str, offset: int) -> list[_Mention]:
        mapped = aligned_key(text, expand=True, keep="%/")
        folded = mapped.text
        found = []
        for pattern, (concept, aspect) in self.patterns:
            for m in pattern.finditer(folded):
                found.append((m.start(), m.end(), concept, aspect))
        # longest first; a mention naming an aspect ("kích hoạt …") beats a plain one it overlaps
        found.sort(key=lambda t: (t[3] is None, -(t[1] - t[0]), t[0]))
        taken: list[tuple[int, int]] = []
        out = []
        for s, e, concept, aspect in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            src_s, src_e = mapped.source_span(s, e)
            out.append(_Mention(offset + src_s, offset + src_e, concept, aspect))
        out.sort(key=lambda m: m.start)
        return out


def _key_has(key: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of any phrase (matching form) inside a matching-form string."""
    spans = []
    for p in phrases:
        pk = match_key(p)
        if not pk:
            continue
        for m in re.finditer(r"(?<![0-9a-z])" + re.escape(pk) + r"(?![0-9a-z])", key):
            spans.append(m.span())
    return spans


def _starts_with(key: str, phrases: tuple[str, ...]) -> str | None:
    best = None
    for p in phrases:
        pk = match_key(p)
        if pk and (key == pk or key.startswith(pk + " ")) and (best is None or len(pk) > len(best)):
            best = pk
    return best


# ---------------------------------------------------------------- document analysis


@dataclass
class _Doc:
    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[_Sentence]
    quantities: list[Quantity]
    dates: list[DateRef]
    mentions: list[_Mention]
    provinces: list[ProvinceMention]


def _shift(obj, mapped, offset: int, text: str, start_attr: str, end_attr: str):
    s, e = mapped.source_span(getattr(obj, start_attr), getattr(obj, end_attr))
    a, b = offset + s, offset + e
    return replace(obj, **{start_attr: a, end_attr: b, "text": text[a:b]})


def _analyse(text: str, catalogue: Catalogue, registry: ProvinceRegistry) -> _Doc:
    paragraphs = _paragraphs(text)
    sentences: list[_Sentence] = []
    quantities: list[Quantity] = []
    dates: list[DateRef] = []
    mentions: list[_Mention] = []
    matcher = _matcher(catalogue)
    for pi, (ps, pe) in enumerate(paragraphs):
        for ss, se in _sentences(text, ps, pe):
            sentences.append(_Sentence(ss, se, pi, _clauses(text, ss, se)))
        para = text[ps:pe]
        mapped = normalize_mapped(para)
        if not mapped.text:
            continue
        para_dates = find_dates(mapped.text)
        for q in find_quantities(mapped.text, para_dates):
            quantities.append(_shift(q, mapped, ps, text, "start", "end"))
        for d in para_dates:
            dates.append(_shift(d, mapped, ps, text, "span_start", "span_end"))
        mentions.extend(matcher.find(para, ps))
    return _Doc(text, paragraphs, sentences, quantities, dates, mentions, registry.find(text))


_MATCHERS: dict[int, _Matcher] = {}


def _matcher(catalogue: Catalogue) -> _Matcher:
    key = id(catalogue)
    if key not in _MATCHERS:
        _MATCHERS[key] = _Matcher(catalogue)
    return _MATCHERS[key]


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class _When:
    start: dt.date
    end: dt.date
    point: bool
    source: str


def _when(ref: DateRef, source: str) -> _When | None:
    if ref.start is None or ref.end is None:
        return None
    return _When(ref.start, ref.end, ref.kind == "date", source)


def _complete_years(doc: _Doc, default_year: int | None) -> None:
    """Give yearless dates ("27/3", "6 tháng đầu năm") the next year in their sentence."""
    out = []
    for ref in doc.dates:
        if ref.year is None:
            sent = next((s for s in doc.sentences if s.start <= ref.span_start < s.end), None)
            year = None
            if sent is not None:
                later = [
                    d
                    for d in doc.dates
                    if d.year is not None
                    and ref.span_end <= d.span_start < sent.end
                    and d.role not in ("citation", "title")
                ]
                if later:
                    year = later[0].year
            year = year or default_year
            if year is not None:
                ref = ref.with_year(year)
        out.append(ref)
    doc.dates = out


def _default_year(doc: _Doc, doc_meta: dict[str, Any]) -> int | None:
    meta_date = _meta_date(doc_meta.get("date"))
    if meta_date is not None:
        return meta_date.year
    years: Counter[int] = Counter()
    for d in doc.dates:
        if d.usable and d.year is not None:
            years[d.year] += 1
            if d.year2:
                years[d.year2] += 1
    if not years:
        return None
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _meta_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _meta_when(value: Any, source: str) -> _When | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return _When(value, value, True, source)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        a, b = _meta_date(value[0]), _meta_date(value[1])
        return _When(a, b, False, source) if a and b else None
    day = _meta_date(value)
    if day:
        return _When(day, day, True, source)
    refs = find_dates(str(value)) or find_dates(f"năm {value}")
    return _when(refs[0], source) if refs else None


def _document_when(doc: _Doc, doc_meta: dict[str, Any]) -> _When | None:
    """Reporting period: meta period, first period in the text, meta date, first date."""
    usable = [d for d in doc.dates if d.usable and d.start is not None]
    return (
        _meta_when(doc_meta.get("period"), "meta")
        or next((_when(d, "document") for d in usable if d.kind == "period"), None)
        or _meta_when(doc_meta.get("date"), "meta")
        or next((_when(d, "document") for d in usable), None)
    )


# ---------------------------------------------------------------- figures


@dataclass
class _Figure:
    anchor: Quantity  # the quantity whose noun and position decide the indicator
    percent: Quantity | None = None
    count: Quantity | None = None
    rank: Quantity | None = None
    total: Quantity | None = None
    target_named: bool = False

    @property
    def start(self) -> int:
        return min(q.start for q in (self.anchor, self.percent, self.count, self.rank) if q)

    @property
    def end(self) -> int:
        return max(q.end for q in (self.anchor, self.percent, self.count, self.rank) if q)


class _Extractor:
    def __init__(
        self, text: str, doc_meta: dict[str, Any], catalogue: Catalogue, registry: ProvinceRegistry
    ) -> None:
        self.text = text
        self.meta = doc_meta
        self.cat = catalogue
        self.rules = catalogue.rules
        self.registry = registry
        self.doc = _analyse(text, catalogue, registry)
        _complete_years(self.doc, _default_year(self.doc, doc_meta))
        self.doc_when = _document_when(self.doc, doc_meta)
        self.concepts = {c.id: c for c in catalogue.concepts}
        self.noun_index = [(match_key(n), c.id) for c in catalogue.concepts for n in c.nouns]
        self.noun_index += [(match_key(n), None) for n in catalogue.generic_nouns]
        self.noun_index.sort(key=lambda t: -len(t[0]))

    # -------------------------------------------------------------- helpers

    def key(self, a: int, b: int) -> str:
        return match_key(self.text[a:b]) if b > a else ""

    def before_window(self, clause: tuple[int, int], pos: int, words: int = 6) -> str:
        """Matching-form words just before ``pos``, stopping at punctuation or a figure."""
        a = clause[0]
        for q in self.doc.quantities:
            if clause[0] <= q.end <= pos:
                a = max(a, q.end)
        seg = self.text[a:pos]
        stops = list(_WINDOW_STOP.finditer(seg))
        if stops:
            seg = seg[stops[-1].end() :]
        return " ".join(match_key(seg).split()[-words:])

    def after_text(self, clause: tuple[int, int], pos: int) -> str:
        """Matching-form words after ``pos`` up to punctuation, the next figure or clause end."""
        b = clause[1]
        for q in self.doc.quantities:
            if pos < q.start < b:
                b = q.start
        seg = self.text[pos:b]
        stop = _WINDOW_STOP.search(seg)
        if stop:
            seg = seg[: stop.start()]
        return match_key(seg)

    def strip_articles(self, key: str) -> str:
        changed = True
        while changed:
            changed = False
            for art in self.rules.articles:
                ak = match_key(art)
                if key.startswith(ak + " "):
                    key = key[len(ak) + 1 :]
                    changed = True
        return key

    def noun_after(self, q: Quantity, clause: tuple[int, int]) -> tuple[str | None, set[str], str]:
        """Unit noun after a quantity: (noun, concepts having it, rest of the after-window)."""
        if q.inner_unit:
            key = match_key(q.inner_unit)
            rest = self.after_text(clause, q.end)
        else:
            key = self.strip_articles(self.after_text(clause, q.end))
            rest = key
        best = None
        for noun, _ in self.noun_index:
            if key == noun or key.startswith(noun + " "):
                best = noun
                break
        if best is None:
            return None, set(), rest
        generic = any(n == best and c is None for n, c in self.noun_index)
        concepts = set() if generic else {c for n, c in self.noun_index if n == best and c}
        if not q.inner_unit:
            rest = key[len(best) :].strip()
        return best, concepts, rest

    # -------------------------------------------------------------- clause level

    def aspirational(self, clause: tuple[int, int], figure_pos: int, figure_end: int) -> bool:
        key = self.key(clause[0], clause[1])
        words = key
        for conn in self.rules.connectors:
            ck = match_key(conn)
            if words.startswith(ck + " "):
                words = words[len(ck) + 1 :]
        if _starts_with(words, self.rules.aspiration_clause_start) and not _key_has(
            key, self.rules.achievement_markers
        ):
            return True
        before = self.key(clause[0], figure_pos)
        if _key_has(before, self.rules.aspiration_before):
            return True
        after = self.key(figure_end, min(clause[1], figure_end + 25))
        if _key_has(after, self.rules.aspiration_after):
            return True
        return bool(re.search(r"(?:^|\s)tu$", self.key(max(clause[0], figure_pos - 6), figure_pos)))

    def is_change(self, q: Quantity, clause: tuple[int, int]) -> bool:
        before = self.key(max(clause[0], q.start - 20), q.start)
        if re.search(r"(?:len|xuong|con)$", before):
            return False
        return any(before.endswith(match_key(w)) for w in self.rules.change_before)

    def names_a_list(self, q: Quantity, clause: tuple[int, int]) -> bool:
        """ "25 dịch vụ công thiết yếu": a number that is part of a list's name."""
        if q.kind != "number":
            return False
        _, concepts, _ = self.noun_after(q, clause)
        return any(q.value in self.concepts[c].named_sets for c in concepts)

    def figures(self, clause: tuple[int, int]) -> list[_Figure]:
        qs = [
            q
            for q in self.doc.quantities
            if clause[0] <= q.start < clause[1] and not self.names_a_list(q, clause)
        ]
        used: set[int] = set()
        figures: list[_Figure] = []
        for i, q in enumerate(qs):
            if q.kind != "percent" or i in used:
                continue
            used.add(i)
            if self.is_change(q, clause):
                continue
            fig = _Figure(anchor=q, percent=q)
            j = i - 1
            if j >= 0 and j not in used and qs[j].kind in ("fraction", "number"):
                link = self.text[qs[j].end : q.start]
                lk = match_key(link)
                if (
                    len(link) <= 60
                    and len(lk.split()) <= 9
                    and (re.search(r"(?:^|\s)(dat|bang|chiem)(\s|$)", lk) or "(" in link)
                ):
                    used.add(j)
                    fig = _Figure(anchor=qs[j], percent=q, count=qs[j])
                    fig.target_named = bool(
                        _key_has(lk, ("chỉ tiêu",))
                        or _key_has(self.key(q.end, min(clause[1], q.end + 20)), ("chỉ tiêu",))
                    )
                    if qs[j].kind == "number":
                        self._attach_total(fig, qs, j, used, clause)
            figures.append(fig)
        for i, q in enumerate(qs):
            if i in used or q.kind == "rank":
                continue
            used.add(i)
            figures.append(_Figure(anchor=q, count=q))
        for q in qs:
            if q.kind != "rank":
                continue
            host = None
            for f in figures:
                gap = self._without_dates(f.end, q.start)
                if (
                    0 <= q.start - f.end <= 40
                    and not re.search(r"\d", gap)
                    and (f.percent is not None or f.count is not None)
                ):
                    host = f
            if host is not None and host.rank is None:
                host.rank = q
            else:
                figures.append(_Figure(anchor=q, rank=q))
        figures.sort(key=lambda f: f.anchor.start)
        return figures

    def _without_dates(self, a: int, b: int) -> str:
        """Text between two offsets with dates blanked out."""
        chars = list(self.text[a:b])
        for d in self.doc.dates:
            for k in range(max(a, d.span_start), min(b, d.span_end)):
                chars[k - a] = " "
        return "".join(chars)

    def _attach_total(self, fig, qs, j, used, clause) -> None:
        for k in range(j - 1, -1, -1):
            t = qs[k]
            if k in used or t.kind != "number":
                continue
            between = self.key(t.end, qs[j].start)
            lead = self.key(max(clause[0], t.start - 90), t.start)
            if _key_has(between, ("trong đó",)) and _key_has(lead, self.rules.total_before):
                fig.total = t
                used.add(k)
            return

    # -------------------------------------------------------------- indicator

    def clause_mentions(self, clause, before: int) -> list[_Mention]:
        return [m for m in self.doc.mentions if clause[0] <= m.start and m.end <= before]

    def concept_for(self, fig: _Figure, clause, sentence: _Sentence):
        q = fig.anchor
        percentish = fig.percent is not None
        rank_only = fig.rank is not None and fig.percent is None and fig.count is None
        noun, noun_concepts, rest = (None, set(), "")
        if not rank_only:
            noun, noun_concepts, rest = self.noun_after(q, clause)
        if fig.count is not None and fig.percent is None and noun is None:
            return None  # a bare count: "Đề án 06", "2 năm", "17 văn bản"
        allowed = noun_concepts or set(self.concepts)
        mentions = [m for m in self.doc.mentions if m.concept is not None]

        def ok(m: _Mention) -> bool:
            return m.concept in allowed

        # 1. a mention inside the noun phrase after the number ("812.400 hồ sơ định danh…")
        for m in mentions:
            gap = self.text[q.end : m.start]
            if (
                0 <= m.start - q.end <= 30
                and ok(m)
                and m.end <= clause[1]
                and not _WINDOW_STOP.search(gap)
                and not re.search(r"\d", gap)
            ):
                return m, "attached", noun, rest
        before = [m for m in mentions if clause[0] <= m.start and m.end <= q.start and ok(m)]
        # 2. a mention in the same comma-separated part ("toàn trình là 58,4%")
        if before and not _WINDOW_STOP.search(self.text[before[-1].end : q.start]):
            return before[-1], "clause", noun, rest
        # 3. "tỷ lệ <concept> … đạt Z%" (a "tỷ lệ" directly before a number is not a subject)
        if percentish:
            markers = [
                m
                for m in self.doc.mentions
                if m.concept is None
                and clause[0] <= m.start
                and m.end <= q.start
                and not self._number_follows(m.end)
            ]
            if markers:
                mk = markers[-1]
                after = [m for m in mentions if mk.end <= m.start and m.end <= q.start and ok(m)]
                if after:
                    return after[0], "ty_le", noun, rest
        # 4. rank: "đứng đầu cả nước về <concept>"
        if rank_only:
            tail = self.text[q.end : min(clause[1], q.end + 40)]
            vm = re.search(r"\bvề\b", tail)
            if vm:
                for m in mentions:
                    if q.end + vm.end() <= m.start <= q.end + vm.end() + 40 and m.end <= clause[1]:
                        return m, "rank_about", noun, rest
        # 5. nearest mention before the number in the clause
        if before:
            return before[-1], "clause", noun, rest
        # 6. the noun names exactly one concept ("22/38 nhiệm vụ")
        if len(noun_concepts) == 1 and self.concepts[next(iter(noun_concepts))].nouns_decide:
            cid = next(iter(noun_concepts))
            return _Mention(q.start, q.start, cid, None), "noun", noun, rest
        # 7. "… đạt 92% còn … 89% về <concept>" later in the clause
        for m in mentions:
            if q.end <= m.start and m.end <= clause[1] and ok(m):
                if re.search(r"\bvề\b", self.text[q.end : m.start]):
                    return m, "about", noun, rest
                break
        # 8. nearest mention earlier in the sentence
        before = [m for m in mentions if sentence.start <= m.start and m.end <= q.start and ok(m)]
        if before:
            return before[-1], "sentence", noun, rest
        return None

    def _number_follows(self, pos: int) -> bool:
        return any(0 <= q.start - pos <= 4 for q in self.doc.quantities)

    def specialise(self, concept: Concept, mention: _Mention, fig: _Figure, sentence) -> Concept:
        clause_start = next(
            (a for a, b in sentence.clauses if a <= mention.start < b), sentence.start
        )
        context = self.key(min(clause_start, mention.start), fig.end)
        for words, target in concept.specializations:
            if _key_has(context, words):
                return self.concepts[target]
        return concept

    def aspect_for(self, concept: Concept, mention: _Mention, fig: _Figure, clause, rest: str):
        """Aspect from cues after the noun, then just before the number, then the mention."""
        if not concept.aspects:
            return None, True
        order = [concept.aspect(n) for n in concept.aspect_order]
        # the default aspect's words ("nhiệm vụ được giao") only describe the noun: weakest cue
        for a in order:
            if a and a.name != concept.default_aspect and _key_has(rest, a.cues_after):
                return a.name, True
        window = self.before_window(clause, fig.anchor.start)
        best = None
        for a in order:
            if not a:
                continue
            for _, end in _key_has(window, a.cues_before):
                if best is None or end > best[0]:
                    best = (end, a.name)
        if best:
            return best[1], True
        default = concept.aspect(concept.default_aspect)
        if default and _key_has(rest, default.cues_after):
            return default.name, True
        if concept.skip_unknown_qualifier and rest:
            first_ok = _starts_with(rest, concept.neutral_after)
            if not first_ok:
                return None, False
        if mention.aspect:
            return mention.aspect, True
        return concept.default_aspect, True

    # -------------------------------------------------------------- date / province

    def when_for(self, pos: int, sentence: _Sentence) -> _When | None:
        usable = [d for d in self.doc.dates if d.usable and d.start is not None]
        in_sent = [d for d in usable if sentence.start <= d.span_start < sentence.end]
        before = [d for d in in_sent if d.span_start < pos]
        if before:
            return _when(before[-1], "sentence")
        if in_sent:
            return _when(in_sent[0], "sentence")
        ps, pe = self.doc.paragraphs[sentence.para]
        in_para = [d for d in usable if ps <= d.span_start < pe]
        before = [d for d in in_para if d.span_start < sentence.start]
        if before:
            return _when(before[-1], "paragraph")
        if in_para:
            return _when(in_para[0], "paragraph")
        return self.doc_when

    def province_for(self, pos: int, sentence: _Sentence, day: dt.date | None):
        def pick(ms: list[ProvinceMention], source: str):
            m = ms[-1] if ms else None
            if m is None:
                return None
            return choose_unit(m.candidates or (m.province,), day), source

        provs = self.doc.provinces
        in_sent = [m for m in provs if sentence.start <= m.start < sentence.end]
        found = pick([m for m in in_sent if m.start < pos], "sentence") or pick(
            in_sent[:1], "sentence"
        )
        if found:
            return found
        ps, pe = self.doc.paragraphs[sentence.para]
        in_para = [m for m in provs if ps <= m.start < pe]
        found = pick([m for m in in_para if m.start < sentence.start], "paragraph") or pick(
            in_para[:1], "paragraph"
        )
        if found:
            return found
        meta = self.meta.get("province")
        if meta:
            unit = self.registry.get(str(meta), on=day)
            if unit is not None:
                return unit, "meta"
        if provs:
            counts = Counter(m.province.slug for m in provs)
            slug = max(
                counts,
                key=lambda s: (counts[s], -min(m.start for m in provs if m.province.slug == s)),
            )
            cands = next(m for m in provs if m.province.slug == slug)
            return choose_unit(cands.candidates or (cands.province,), day), "document"
        return None, "none"

    # -------------------------------------------------------------- main

    def run(self) -> list[ProposedObservation]:
        out: list[ProposedObservation] = []
        for sentence in self.doc.sentences:
            for clause in sentence.clauses:
                for fig in self.figures(clause):
                    obs = self.observation(fig, clause, sentence)
                    if obs is not None:
                        out.append(obs)
        return _merge(out)

    def observation(self, fig: _Figure, clause, sentence) -> ProposedObservation | None:
        if self.aspirational(clause, fig.start, fig.end):
            return None
        found = self.concept_for(fig, clause, sentence)
        if found is None:
            return None
        mention, via, noun, rest = found
        concept = self.specialise(self.concepts[mention.concept], mention, fig, sentence)
        q = fig.anchor
        rank_only = fig.rank is not None and fig.percent is None and fig.count is None
        if (
            fig.percent is None
            and not rank_only
            and q.kind == "number"
            and q.value in concept.named_sets
        ):
            return None
        aspect, keep = self.aspect_for(concept, mention, fig, clause, rest)
        if not keep:
            return None
        kind = "rate" if fig.percent is not None else "count"
        measure = "target" if fig.percent is not None and fig.target_named else "base"
        indicator = concept.member(kind, aspect, measure)
        if rank_only:
            indicator = concept.member("rate", aspect) or concept.member("count", aspect)
        if indicator is None:
            return None
        if kind == "count" and not rank_only:
            generic = {match_key(n) for n in self.cat.generic_nouns}
            own = {match_key(n) for n in concept.nouns}
            if noun not in own and noun not in generic:
                return None
        when = self.when_for(q.start, sentence)
        day = when.end if when else None
        province, province_via = self.province_for(q.start, sentence, day)

        value: float
        unit = indicator.unit
        numerator = denominator = target = None
        if fig.percent is not None:
            value = fig.percent.value
            if fig.count is not None:
                numerator = fig.count.value
                denominator = fig.count.denominator
            if fig.total is not None and denominator is None:
                denominator = fig.total.value
            if fig.target_named and denominator is not None:
                target = denominator
        elif rank_only:
            value = fig.rank.value
            unit = "hạng"
        else:
            value = q.value
            denominator = q.denominator
        rank = rank_of = None
        if fig.rank is not None:
            rank = int(fig.rank.value)
            if fig.rank.denominator:
                rank_of = int(fig.rank.denominator)
            elif fig.rank.national and day is not None:
                rank_of = len(self.registry.units_on(day))
        conf = 0.4
        conf += {
            "attached": 0.25,
            "ty_le": 0.25,
            "noun": 0.2,
            "clause": 0.2,
            "rank_about": 0.2,
            "about": 0.1,
            "sentence": 0.05,
        }.get(via, 0)
        conf += {"sentence": 0.15, "paragraph": 0.1, "document": 0.05, "meta": 0.05}.get(
            when.source if when else "", 0
        )
        conf += {"sentence": 0.15, "paragraph": 0.1, "meta": 0.1, "document": 0.05}.get(
            province_via, 0
        )
        qs, qe = self._quote_span(clause, fig)
        as_of = when.start if when and when.point else None
        return ProposedObservation(
            province=province.slug if province else None,
            province_code=province.code if province else None,
            indicator=indicator.code,
            value=value,
            unit=unit,
            numerator=numerator,
            denominator=denominator,
            target=target,
            rank=rank,
            rank_out_of=rank_of,
            qualifier=q.qualifier,
            as_of=as_of,
            period_start=None if as_of or not when else when.start,
            period_end=None if as_of or not when else when.end,
            quote=self.text[qs:qe],
            start=qs,
            end=qe,
            confidence=round(min(conf, 0.99), 2),
            evidence={
                "indicator_via": via,
                "date_via": when.source if when else "none",
                "province_via": province_via,
                "figure": self.text[fig.start : fig.end],
            },
        )

    def _quote_span(self, clause, fig: _Figure) -> tuple[int, int]:
        a, b = clause
        while a < b and self.text[a].isspace():
            a += 1
        while b > a and self.text[b - 1] in " \t\n.,":
            b -= 1
        if b - a > 300:
            a = max(a, fig.start - 150)
            b = min(b, fig.end + 150)
        return a, b


def _compatible(a: ProposedObservation, b: ProposedObservation) -> bool:
    ra = (a.as_of, a.as_of) if a.as_of else (a.period_start, a.period_end)
    rb = (b.as_of, b.as_of) if b.as_of else (b.period_start, b.period_end)
    if None in ra or None in rb:
        return True
    return (ra[0] <= rb[0] and rb[1] <= ra[1]) or (rb[0] <= ra[0] and ra[1] <= rb[1])


def _specificity(o: ProposedObservation) -> tuple:
    if o.as_of:
        return (0, 0)
    if o.period_start and o.period_end:
        return (1, (o.period_end - o.period_start).days)
    return (2, 0)


def _merge(items: list[ProposedObservation]) -> list[ProposedObservation]:
    """Fold repeated mentions of the same figure into one, keeping the most precise date."""
    out: list[ProposedObservation] = []
    for obs in items:
        twin = next(
            (
                o
                for o in out
                if o.province == obs.province
                and o.indicator == obs.indicator
                and abs(o.value - obs.value) <= 1e-9 * max(1.0, abs(o.value))
                and o.unit == obs.unit
                and _compatible(o, obs)
            ),
            None,
        )
        if twin is None:
            out.append(obs)
            continue
        best, other = (twin, obs) if _specificity(twin) <= _specificity(obs) else (obs, twin)
        fields = {}
        for name in ("numerator", "denominator", "target", "rank", "rank_out_of", "qualifier"):
            if getattr(best, name) is None and getattr(other, name) is not None:
                fields[name] = getattr(other, name)
        fields["confidence"] = max(best.confidence, other.confidence)
        out[out.index(twin)] = best.model_copy(update=fields)
    return out


def extract_figures(
    text: str,
    *,
    doc_meta: dict[str, Any] | None = None,
    catalogue: Catalogue | None = None,
    registry: ProvinceRegistry | None = None,
) -> list[ProposedObservation]:
    """Propose indicator observations found in ``text``.

    ``doc_meta`` may give ``province`` (slug or name), ``date`` (publication date) and
    ``period`` (reporting period: a date, a (start, end) pair or text like "6 tháng đầu năm
    2023") for reports that do not state them.
    """
    return _Extractor(
        text, dict(doc_meta or {}), catalogue or load_catalogue(), registry or load_provinces()
    ).run()
