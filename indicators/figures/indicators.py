"""Indicator catalogue (``indicators.yml``): concepts, their indicators, synonyms and rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from vntext import fold_accents, matching_key

CATALOGUE_FILE = Path(__file__).with_name("indicators.yml")
_PUNCT = re.compile(r"[^\w%/]+")


def match_key(text: str) -> str:
    """Matching form: normalised, lower case, abbreviations expanded, accents folded, no punct."""
    return matching_key(text, keep="%/")


@dataclass(frozen=True)
class Indicator:
    """One indicator: what a figure measures, in which unit."""

    code: str
    name: str
    unit: str
    kind: str  # "rate" or "count"
    group: str
    concept: str
    aspect: str | None = None
    synonyms: tuple[str, ...] = ()
    # "base": a share of those concerned (activated of registered); "target": achievement
    # against an assigned target (chỉ tiêu giao, may exceed 100%). Never one series.
    measure: str = "base"

    @property
    def ascii_synonyms(self) -> tuple[str, ...]:
        """Synonyms without diacritics ("số hóa hồ sơ" → "so hoa ho so")."""
        return tuple(dict.fromkeys(fold_accents(s) for s in self.synonyms))


@dataclass(frozen=True)
class Aspect:
    """A facet of a concept (registration vs activation…) and the words that signal it."""

    name: str
    mentions: tuple[str, ...] = ()
    cues_before: tuple[str, ...] = ()
    cues_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    """What is measured, how reports name it and which nouns follow its numbers."""

    id: str
    group: str
    mentions: tuple[str, ...]
    nouns: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    aspects: tuple[Aspect, ...] = ()
    aspect_order: tuple[str, ...] = ()
    default_aspect: str | None = None
    specializations: tuple[tuple[tuple[str, ...], str], ...] = ()
    named_sets: tuple[float, ...] = ()
    skip_unknown_qualifier: bool = False
    neutral_after: tuple[str, ...] = ()
    # whether the unit noun alone ("nhiệm vụ", "thẻ") identifies the concept
    nouns_decide: bool = True

    def aspect(self, name: str | None) -> Aspect | None:
        """Aspect by name."""
        return next((a for a in self.aspects if a.name == name), None)

    def member(
        self, kind: str, aspect: str | None, measure: str = "base"
    ) -> Indicator | None:
        """The indicator of this concept for a kind ("rate"/"count"), aspect and measure (a
        rate against an assigned target has its own indicator where the catalogue has one)."""
        if measure != "base":
            for ind in self.indicators:
                if ind.kind == kind and ind.aspect == aspect and ind.measure == measure:
                    return ind
        own = [i for i in self.indicators if i.measure == "base"]
        for ind in own:
            if ind.kind == kind and ind.aspect == aspect:
                return ind
        for ind in own:
            if ind.kind == kind and ind.aspect is None:
                return ind
        if aspect is None:
            return next((i for i in own if i.kind == kind), None)
        return None


@dataclass(frozen=True)
class Rules:
    """Word lists steering the extractor (aims, changes, totals…)."""

    aspiration_clause_start: tuple[str, ...] = ()
    achievement_markers: tuple[str, ...] = ()
    aspiration_before: tuple[str, ...] = ()
    aspiration_after: tuple[str, ...] = ()
    change_before: tuple[str, ...] = ()
    total_before: tuple[str, ...] = ()
    connectors: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """All concepts and indicators."""

    groups: dict[str, str]
    concepts: tuple[Concept, ...]
    generic_nouns: tuple[str, ...]
    rules: Rules
    _by_code: dict[str, Indicator] = field(default_factory=dict, repr=False)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in catalogue order."""
        return tuple(i for c in self.concepts for i in c.indicators)

    def indicator(self, code: str) -> Indicator:
        """Indicator by code."""
        return self._by_code[code]

    def concept(self, concept_id: str) -> Concept:
        """Concept by id."""
        return next(c for c in self.concepts if c.id == concept_id)


def _tuple(value) -> tuple:
    return tuple(value or ())


def _parse(data: dict) -> Catalogue:
    groups = dict(data["groups"])
    concepts: list[Concept] = []
    for row in data["concepts"]:
        group = row["group"]
        if group not in groups:
            raise ValueError(f"indicators.yml: unknown group {group}")
        aspects = tuple(
            Aspect(
                name=name,
                mentions=_tuple(spec.get("mentions")),
                cues_before=_tuple(spec.get("cues_before")),
                cues_after=_tuple(spec.get("cues_after")),
            )
            for name, spec in (row.get("aspects") or {}).items()
        )
        mentions = _tuple(row.get("mentions"))
        indicators = []
        for ind in row["indicators"]:
            aspect = ind.get("aspect")
            aspect_mentions = next((a.mentions for a in aspects if a.name == aspect), ())
            synonyms = tuple(
                dict.fromkeys(
                    [ind["name"], *_tuple(ind.get("synonyms")), *aspect_mentions, *mentions]
                )
            )
            indicators.append(
                Indicator(
                    code=ind["code"],
                    name=ind["name"],
                    unit=str(ind["unit"]),
                    kind=ind["kind"],
                    group=group,
                    concept=row["id"],
                    aspect=aspect,
                    synonyms=synonyms,
                    measure=str(ind.get("measure") or "base"),
                )
            )
        concepts.append(
            Concept(
                id=row["id"],
                group=group,
                mentions=mentions,
                nouns=_tuple(row.get("nouns")),
                indicators=tuple(indicators),
                aspects=aspects,
                aspect_order=_tuple(row.get("aspect_order")) or tuple(a.name for a in aspects),
                default_aspect=row.get("default_aspect"),
                specializations=tuple(
                    (_tuple(s["context"]), s["concept"]) for s in row.get("specializations") or ()
                ),
                named_sets=tuple(float(x) for x in row.get("named_sets") or ()),
                skip_unknown_qualifier=bool(row.get("skip_unknown_qualifier", False)),
                neutral_after=_tuple(row.get("neutral_after")),
                nouns_decide=bool(row.get("nouns_decide", True)),
            )
        )
    ids = {c.id for c in concepts}
    for c in concepts:
        for _, target in c.specializations:
            if target not in ids:
                raise ValueError(f"indicators.yml: {c.id} specializes to unknown {target}")
    by_code: dict[str, Indicator] = {}
    for c in concepts:
        for ind in c.indicators:
            if ind.code in by_code:
                raise ValueError(f"indicators.yml: duplicate code {ind.code}")
            by_code[ind.code] = ind
    rules = Rules(**{k: _tuple(v) for k, v in (data.get("rules") or {}).items()})
    return Catalogue(
        groups=groups,
        concepts=tuple(concepts),
        generic_nouns=_tuple(data.get("generic_nouns")),
        rules=rules,
        _by_code=by_code,
    )


@lru_cache(maxsize=4)
def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Load (and cache) the indicator catalogue."""
    with open(path or CATALOGUE_FILE, encoding="utf-8") as fh:
        return _parse(yaml.safe_load(fh))


def load_indicators(path: Path | str | None = None) -> tuple[Indicator, ...]:
    """Every indicator of the catalogue."""
    return load_catalogue(path).indicators
