"""Provincial units of Vietnam before and after the 1/7/2025 merger, and finding them in text.

Data lives in ``provinces.yml`` (mapping taken from FACTS.md §6). Matching is case- and
accent-insensitive, prefers the longest alias and never matches inside another word.
Accent-free aliases are generated with ``vntext.fold_accents``: a span written *without*
diacritics matches any alias with the same letters ("ha giang"), while a span written *with*
diacritics must match an alias exactly ("Hà Giang" but not "Hà Giàng").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from vntext import aligned_key, fold_accents, has_diacritics, matching_key
from vntext.normalize import normalize_mapped

DATA_FILE = Path(__file__).with_name("provinces.yml")
OLD_VALID_FROM = dt.date(2008, 8, 1)  # start of the 63-unit configuration (Hà Tây → Hà Nội)
OLD_VALID_TO = dt.date(2025, 6, 30)
_SHORT_CAPS = 4  # aliases like "HN", "HCM", "BRVT" only match when written in capitals
# Longer texts are prose, where "hòa bình" (peace) must not be read as the province.
_PROSE_MIN_CHARS = 60


@dataclass(frozen=True)
class Province:
    """One provincial unit (tỉnh / thành phố trực thuộc trung ương) with its validity."""

    code: str
    slug: str
    name: str
    type: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    merged_into: str | None = None
    aliases: tuple[str, ...] = ()
    gso_code: str | None = None
    admin_center: str | None = None
    confidence: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    lowercase_ambiguous: bool = False
    # words that, right before the bare name, mean it is not the place ("Chủ tịch Hồ Chí Minh")
    not_after: tuple[str, ...] = ()

    @property
    def is_current(self) -> bool:
        """True for the 34 units in force since 1/7/2025."""
        return self.valid_to is None

    @property
    def full_name(self) -> str:
        """Vietnamese full name: "tỉnh Hà Giang", "thành phố Hà Nội"."""
        return f"{self.type} {self.name}"

    @property
    def all_aliases(self) -> tuple[str, ...]:
        """Name, configured aliases and the usual prefixed forms (with diacritics)."""
        forms = [self.name, *self.aliases]
        prefixes = ["tỉnh"] if self.type == "tỉnh" else ["thành phố", "TP", "TP.", "Tp"]
        forms += [f"{p} {self.name}" for p in prefixes]
        return tuple(dict.fromkeys(forms))

    @property
    def ascii_aliases(self) -> tuple[str, ...]:
        """Accent-free forms of every alias ("Hà Giang" → "Ha Giang")."""
        return tuple(dict.fromkeys(fold_accents(a) for a in self.all_aliases))

    def valid_on(self, day: dt.date) -> bool:
        """Whether the unit existed on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class ProvinceMention:
    """A province name found in a text; ``start``/``end`` index the original text."""

    start: int
    end: int
    text: str
    province: Province
    candidates: tuple[Province, ...] = field(default=(), compare=False)


def _alias_key(alias: str) -> str:
    return matching_key(alias, expand=False)


def _accented_form(alias: str) -> str:
    return " ".join(aligned_key(alias, fold=False).text.split())


@dataclass
class _AliasEntry:
    regex: re.Pattern[str]
    accented: set[str] = field(default_factory=set)
    provinces: list[Province] = field(default_factory=list)
    caps_only: bool = True
    capital_initial: bool = False
    not_after: set[str] = field(default_factory=set)


def _distance_days(province: Province, day: dt.date) -> int:
    if province.valid_on(day):
        return 0
    if day < province.valid_from:
        return (province.valid_from - day).days
    assert province.valid_to is not None
    return (day - province.valid_to).days


def choose_unit(candidates: list[Province] | tuple[Province, ...], on: dt.date | None) -> Province:
    """Among units sharing a name, the one in force on ``on`` (today if None), else the nearest."""
    day = on or dt.date.today()
    return min(candidates, key=lambda p: (_distance_days(p, day), not p.is_current))


class ProvinceRegistry:
    """All provincial units with lookup and text matching."""

    def __init__(self, provinces: list[Province], merger_date: dt.date) -> None:
        self.provinces = tuple(provinces)
        self.merger_date = merger_date
        self._by_code = {p.code: p for p in provinces}
        if len(self._by_code) != len(provinces):
            raise ValueError("duplicate province code")
        self._by_slug: dict[str, list[Province]] = {}
        for p in provinces:
            self._by_slug.setdefault(p.slug, []).append(p)
        self._aliases: dict[str, _AliasEntry] = {}
        for p in provinces:
            for alias in p.all_aliases:
                key = _alias_key(alias)
                entry = self._aliases.get(key)
                if entry is None:
                    words = [re.escape(w) for w in key.split()]
                    pattern = r"(?<![0-9a-z])" + r"\s+".join(words) + r"(?![0-9a-z])"
                    entry = self._aliases[key] = _AliasEntry(re.compile(pattern))
                entry.accented.add(_accented_form(alias))
                if p not in entry.provinces:
                    entry.provinces.append(p)
                letters = [c for c in alias if c.isalpha()]
                if not (alias.upper() == alias and len(letters) <= _SHORT_CAPS):
                    entry.caps_only = False
                if p.lowercase_ambiguous:
                    entry.capital_initial = True
                if alias == p.name:
                    entry.not_after.update(_alias_key(w) for w in p.not_after)

    @property
    def current(self) -> tuple[Province, ...]:
        """The 34 units in force since the merger."""
        return tuple(p for p in self.provinces if p.is_current)

    @property
    def old(self) -> tuple[Province, ...]:
        """The 63 units in force before the merger."""
        return tuple(p for p in self.provinces if not p.is_current)

    def by_code(self, code: str) -> Province:
        """Unit by its unique code ("tuyen-quang", "old:ha-giang")."""
        return self._by_code[code]

    def get(self, slug_or_code: str, on: dt.date | None = None) -> Province | None:
        """Unit by code, slug or name; for a slug shared by two eras, the one valid ``on``."""
        if slug_or_code in self._by_code:
            return self._by_code[slug_or_code]
        candidates = self._by_slug.get(slug_or_code)
        if candidates:
            return choose_unit(candidates, on)
        return self.resolve(slug_or_code, on=on)

    def units_on(self, day: dt.date) -> tuple[Province, ...]:
        """Units in force on ``day``."""
        return tuple(p for p in self.provinces if p.valid_on(day))

    def current_unit(self, province: Province) -> Province:
        """The post-merger unit that a unit became part of (itself if current)."""
        if province.is_current:
            return province
        assert province.merged_into is not None
        return self._by_code[province.merged_into]

    def members(self, current: Province) -> tuple[Province, ...]:
        """Old units merged into a current unit."""
        return tuple(p for p in self.old if p.merged_into == current.code)

    def find(self, text: str, on: dt.date | None = None) -> list[ProvinceMention]:
        """Non-overlapping province mentions, longest alias first, in text order."""
        if not text:
            return []
        mapped = normalize_mapped(text)
        display = mapped.text
        low = aligned_key(text, fold=False).text
        folded = aligned_key(text).text
        prose = len(text) >= _PROSE_MIN_CHARS
        found: list[tuple[int, int, _AliasEntry]] = []
        for entry in self._aliases.values():
            for m in entry.regex.finditer(folded):
                s, e = m.span()
                shown = display[s:e]
                span_low = " ".join(low[s:e].split())
                if has_diacritics(span_low) and span_low not in entry.accented:
                    continue
                if entry.caps_only and prose and shown != shown.upper():
                    continue
                if entry.capital_initial and prose and not shown[:1].isupper():
                    continue
                before = " ".join(folded[max(0, s - 40) : s].split())
                if any(before.endswith(w) for w in entry.not_after):
                    continue
                found.append((s, e, entry))
        found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
        taken: list[tuple[int, int]] = []
        mentions: list[ProvinceMention] = []
        for s, e, entry in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            src_s, src_e = mapped.source_span(s, e)
            mentions.append(
                ProvinceMention(
                    start=src_s,
                    end=src_e,
                    text=text[src_s:src_e],
                    province=choose_unit(entry.provinces, on),
                    candidates=tuple(entry.provinces),
                )
            )
        mentions.sort(key=lambda m: m.start)
        return mentions

    def resolve(self, text: str, on: dt.date | None = None) -> Province | None:
        """The province named by the longest mention in ``text`` (first one on ties)."""
        mentions = self.find(text, on=on)
        if not mentions:
            return None
        best = max(mentions, key=lambda m: (m.end - m.start, -m.start))
        return best.province


def _as_date(value: object, default: dt.date | None) -> dt.date | None:
    if value is None:
        return default
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _parse(data: dict) -> ProvinceRegistry:
    merger = _as_date(data.get("merger_date"), None)
    if merger is None:
        raise ValueError("provinces.yml: merger_date missing")
    provinces: list[Province] = []
    for row in data["current"]:
        provinces.append(
            Province(
                code=row["slug"],
                slug=row["slug"],
                name=row["name"],
                type=row["type"],
                valid_from=_as_date(row.get("valid_from"), merger) or merger,
                aliases=tuple(row.get("aliases") or ()),
                admin_center=row.get("admin_center"),
                confidence=row.get("confidence"),
                sources=tuple(row.get("sources") or ()),
                note=row.get("note"),
                lowercase_ambiguous=bool(row.get("lowercase_ambiguous", False)),
                not_after=tuple(row.get("not_after") or ()),
            )
        )
    current_codes = {p.code for p in provinces}
    for row in data["old"]:
        target = row["merged_into"]
        if target not in current_codes:
            raise ValueError(f"provinces.yml: {row['slug']} merged into unknown {target}")
        provinces.append(
            Province(
                code=f"old:{row['slug']}",
                slug=row["slug"],
                name=row["name"],
                type=row["type"],
                valid_from=_as_date(row.get("valid_from"), OLD_VALID_FROM) or OLD_VALID_FROM,
                valid_to=_as_date(row.get("valid_to"), OLD_VALID_TO),
                merged_into=target,
                aliases=tuple(row.get("aliases") or ()),
                gso_code=row.get("gso_code"),
                confidence=row.get("confidence"),
                sources=tuple(row.get("sources") or ()),
                note=row.get("note"),
                lowercase_ambiguous=bool(row.get("lowercase_ambiguous", False)),
                not_after=tuple(row.get("not_after") or ()),
            )
        )
    return ProvinceRegistry(provinces, merger)


@lru_cache(maxsize=4)
def load_provinces(path: Path | str | None = None) -> ProvinceRegistry:
    """Load (and cache) the registry from ``provinces.yml``."""
    with open(path or DATA_FILE, encoding="utf-8") as fh:
        return _parse(yaml.safe_load(fh))


def resolve_province(text: str, on: dt.date | None = None) -> Province | None:
    """The province named in ``text`` (longest match), choosing the unit in force ``on``."""
    return load_provinces().resolve(text, on=on)


def find_provinces(text: str, on: dt.date | None = None) -> list[ProvinceMention]:
    """Every province mention in ``text`` with its span in the original text."""
    return load_provinces().find(text, on=on)


def current_unit(province: Province) -> Province:
    """The post-1/7/2025 unit that ``province`` belongs to."""
    return load_provinces().current_unit(province)
