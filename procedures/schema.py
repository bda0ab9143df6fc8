"""Schema and loader for structured one-stop procedure records (thủ tục hành chính).

One YAML file per procedure lives in ``records/<id>.yml``. The fields follow the way a
procedure is published on dichvucong.gov.vn and provincial one-stop portals: code, name,
agency, filing channels with their time limit and fee, steps, documents, legal basis...

Anything the fact sheet does not confirm is *not stated*: the value stays empty and the
record says it must be checked with the one-stop desk, either with ``check_with_one_stop``
on the item concerned or with a line in ``to_verify``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    ValidationError,
    model_validator,
)

RECORDS_DIR = Path(__file__).resolve().parent / "records"

#: Every item flagged ``check_with_one_stop`` must carry this phrase in its note.
CHECK_PHRASE = "Cần kiểm tra với Bộ phận một cửa"

ESSENTIAL_GROUP = "25 dịch vụ công thiết yếu"
BIRTH_LINK_GROUP = "liên thông khai sinh"
DEATH_LINK_GROUP = "liên thông khai tử"
POLICE_GROUP = "thủ tục thường gặp tại Công an"
KNOWN_GROUPS = (ESSENTIAL_GROUP, BIRTH_LINK_GROUP, DEATH_LINK_GROUP, POLICE_GROUP)

FilingMethodName = Literal["in_person", "online", "post"]
OnlineLevel = Literal["toàn trình", "một phần"]
OriginalOrCopy = Literal["bản chính", "bản sao", "bản chính hoặc bản sao"]
PlaceKind = Literal[
    "one_stop_centre",  # Trung tâm Phục vụ hành chính công cấp xã/tỉnh, bộ phận một cửa
    "commune_police",  # Công an xã/phường/đặc khu
    "provincial_police",  # Công an cấp tỉnh, các phòng nghiệp vụ
    "police",  # cơ quan Công an, cấp chưa xác định
    "national_portal",  # Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)
    "vneid",  # ứng dụng VNeID
    "agency_portal",  # cổng dịch vụ công của bộ, ngành
    "other",
]


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
PortalCode = Annotated[str, StringConstraints(pattern=r"^\d+\.\d{6}$")]
SourceId = Annotated[str, StringConstraints(pattern=r"^[SG]\d+$")]


def _iso_date(value: Any) -> Any:
    """Accepts a ``date`` or a ``YYYY-MM-DD`` string; anything else is an error."""
    if isinstance(value, datetime):
        raise ValueError("expected a date YYYY-MM-DD, not a date-time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return date.fromisoformat(value.strip())
    raise ValueError(f"expected an ISO date YYYY-MM-DD, got {value!r}")


def _partial_iso_date(value: Any) -> Any:
    """A source's date as shown on the page: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, datetime):
        raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD, not a date-time")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    formats = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
    fmt = formats.get(len(text))
    if fmt is None or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        raise ValueError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    datetime.strptime(text, fmt)  # rejects month 13, day 31 in a 30-day month...
    return text


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PartialIsoDate = Annotated[str, BeforeValidator(_partial_iso_date)]


def _says_check(note: str | None) -> bool:
    return bool(note) and CHECK_PHRASE.lower() in note.lower()


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dups: list[str] = []
    for value in values:
        key = value.casefold()
        if key in seen and value not in dups:
            dups.append(value)
        seen.add(key)
    return dups


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Place(_Model):
    """Where the dossier can be filed, e.g. ``commune_police`` / "Công an cấp xã"."""

    kind: PlaceKind
    label: Text


class FilingMethod(_Model):
    """One filing channel with its own time limit and fee.

    ``check_with_one_stop: true`` means neither the time limit nor the fee of this channel is
    confirmed: both stay empty and the note tells the reader to ask the one-stop desk. When
    the flag is false, what is filled in is confirmed; if one of the two is still unknown it
    stays empty and the note says so (with :data:`CHECK_PHRASE`).
    """

    method: FilingMethodName
    time_limit: Text | None = None
    fee: Text | None = None
    note: Text | None = None
    check_with_one_stop: bool = False

    @model_validator(mode="after")
    def _flag_matches_values(self) -> FilingMethod:
        if self.check_with_one_stop:
            stated = [n for n in ("time_limit", "fee") if getattr(self, n) is not None]
            if stated:
                raise ValueError(
                    f"{' and '.join(stated)} must be empty when check_with_one_stop is true "
                    "(an unconfirmed value is not stated)"
                )
            if not _says_check(self.note):
                raise ValueError(
                    f"note must contain {CHECK_PHRASE!r} when check_with_one_stop is true"
                )
        else:
            missing = [n for n in ("time_limit", "fee") if getattr(self, n) is None]
            if len(missing) == 2:
                raise ValueError("time_limit and fee are both empty: set check_with_one_stop: true")
            if missing and not _says_check(self.note):
                raise ValueError(
                    f"{missing[0]} is empty: note must say it has to be checked ({CHECK_PHRASE!r})"
                )
        return self


class Document(_Model):
    """One item of the dossier (thành phần hồ sơ)."""

    name: Text
    original_or_copy: OriginalOrCopy | None = None
    quantity: PositiveInt | None = None
    form: Text | None = None
    note: Text | None = None
    check_with_one_stop: bool = False

    @model_validator(mode="after")
    def _flag_matches_values(self) -> Document:
        if self.check_with_one_stop:
            stated = [n for n in ("original_or_copy", "quantity") if getattr(self, n) is not None]
            if stated:
                raise ValueError(
                    f"{' and '.join(stated)} must be empty when check_with_one_stop is true"
                )
            if not _says_check(self.note):
                raise ValueError(
                    f"note must contain {CHECK_PHRASE!r} when check_with_one_stop is true"
                )
        else:
            missing = [n for n in ("original_or_copy", "quantity") if getattr(self, n) is None]
            if missing:
                raise ValueError(
                    f"{' and '.join(missing)} not given: "
                    "fill it in or set check_with_one_stop: true"
                )
        return self


class LegalBasis(_Model):
    number: Text | None = None
    title: Text
    date: IsoDate | None = None


class Source(_Model):
    id: SourceId
    title: Text
    date: PartialIsoDate | None = None
    url: Text


class Procedure(_Model):
    """One administrative procedure as citizens meet it at the one-stop desk or online."""

    id: Slug
    code: PortalCode | None = None
    name: Text
    aliases: list[Text] = Field(min_length=1)
    field: Text
    implementing_agency: Text
    where_to_file: list[Place] = Field(min_length=1)
    filing_methods: list[FilingMethod] = Field(default_factory=list)
    steps: list[Text] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    applicants: list[Text] = Field(default_factory=list)
    result: Text | None = None
    conditions: list[Text] = Field(default_factory=list)
    legal_basis: list[LegalBasis] = Field(default_factory=list)
    online_level: OnlineLevel | None = None
    portal_path: Text | None = None
    group: list[Text] = Field(default_factory=list)
    province: Text | None = None
    related: list[Slug] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None
    changes_2025: list[Text] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    to_verify: list[Text] = Field(default_factory=list)
    last_reviewed: IsoDate

    @model_validator(mode="after")
    def _consistent(self) -> Procedure:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is earlier than valid_from")
        checks = {
            "aliases": self.aliases,
            "group": self.group,
            "related": self.related,
            "sources (id)": [s.id for s in self.sources],
            "filing_methods (method)": [m.method for m in self.filing_methods],
        }
        for name, values in checks.items():
            dups = _duplicates(values)
            if dups:
                raise ValueError(f"{name} has duplicates: {', '.join(dups)}")
        if self.id in self.related:
            raise ValueError("related must not list the record itself")
        gaps = [
            name
            for name, value in (
                ("filing_methods", self.filing_methods),
                ("steps", self.steps),
                ("documents", self.documents),
                ("applicants", self.applicants),
                ("result", self.result),
                ("legal_basis", self.legal_basis),
            )
            if not value
        ]
        if gaps and not self.to_verify:
            raise ValueError(
                f"{', '.join(gaps)} left empty: to_verify must say what has to be checked"
            )
        return self

    @property
    def essential(self) -> bool:
        return ESSENTIAL_GROUP in self.group


class ProcedureLoadError(ValueError):
    """A record file is unreadable or invalid; the message names the file and the field."""


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(record)"
        parts.append(f"field '{loc}': {err['msg']}")
    return "; ".join(parts)


def procedure_from_dict(data: dict[str, Any], *, origin: str = "<dict>") -> Procedure:
    """Builds a record from plain data (YAML or JSON); errors name ``origin`` and the field."""
    if not isinstance(data, dict):
        raise ProcedureLoadError(f"{origin}: a record must be a mapping, got {type(data).__name__}")
    try:
        return Procedure.model_validate(data)
    except ValidationError as exc:
        raise ProcedureLoadError(f"{origin}: {_describe(exc)}") from exc


def procedure_to_dict(procedure: Procedure) -> dict[str, Any]:
    """JSON-ready dict (dates as ISO strings); ``procedure_from_dict`` reads it back unchanged."""
    return procedure.model_dump(mode="json")


def load_procedure_file(path: Path) -> Procedure:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProcedureLoadError(f"{path}: cannot read YAML: {exc}") from exc
    procedure = procedure_from_dict(data, origin=str(path))
    if procedure.id != path.stem:
        raise ProcedureLoadError(
            f"{path}: field 'id': {procedure.id!r} does not match the file name {path.stem!r}"
        )
    return procedure


def check_catalogue(procedures: list[Procedure], origins: list[str] | None = None) -> None:
    """Cross-record checks: unique ids and codes, ``related`` pointing at existing ids."""
    origins = origins or [p.id for p in procedures]
    seen_ids: dict[str, str] = {}
    seen_codes: dict[str, str] = {}
    for proc, origin in zip(procedures, origins, strict=True):
        if proc.id in seen_ids:
            raise ProcedureLoadError(
                f"{origin}: field 'id': duplicate id {proc.id!r} (also in {seen_ids[proc.id]})"
            )
        seen_ids[proc.id] = origin
        if proc.code is not None:
            if proc.code in seen_codes:
                raise ProcedureLoadError(
                    f"{origin}: field 'code': duplicate code {proc.code!r} "
                    f"(also in {seen_codes[proc.code]})"
                )
            seen_codes[proc.code] = origin
    for proc, origin in zip(procedures, origins, strict=True):
        unknown = [r for r in proc.related if r not in seen_ids]
        if unknown:
            raise ProcedureLoadError(
                f"{origin}: field 'related': unknown id(s) {', '.join(unknown)}"
            )


def load_procedures(directory: Path | str = RECORDS_DIR) -> list[Procedure]:
    """Loads every ``*.yml``/``*.yaml`` record in ``directory``, validated as a catalogue."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ProcedureLoadError(f"{directory}: not a directory")
    paths = sorted(p for p in directory.iterdir() if p.suffix in {".yml", ".yaml"} and p.is_file())
    procedures = [load_procedure_file(p) for p in paths]
    check_catalogue(procedures, [str(p) for p in paths])
    return procedures
