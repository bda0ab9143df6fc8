"""Procedure catalogue in the database: import (JSON, CSV, YAML) and export (JSON, CSV).

Every record is validated with the schema before anything is written; when one record is
invalid, the whole import is refused (one transaction) and every problem is reported on its
own line, naming the record (position and id), the field path and the reason.

CSV template (one row per procedure, UTF-8, header row with the schema's field names):

- scalar fields (``id``, ``code``, ``name``, ``field``, ``result``, ``online_level``,
  ``valid_from``...): the value as text, dates as ``YYYY-MM-DD``; an empty cell means null;
- lists of text (``aliases``, ``steps``, ``applicants``, ``conditions``, ``group``,
  ``related``, ``changes_2025``, ``notes``, ``to_verify``): one item per line inside the cell
  (Alt+Enter in a spreadsheet); a cell starting with ``[`` is read as a JSON array instead;
- lists of objects (``where_to_file``, ``filing_methods``, ``documents``, ``legal_basis``,
  ``sources``): a JSON array of objects with the same keys as in the YAML records.

Columns may come in any order; ``CSV_REQUIRED`` must be present, unknown or repeated columns
are an error. The delimiter is ``,`` (``;`` and tab are accepted when the header uses them).
Errors name the spreadsheet row (the header is row 1), the column and the reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select

from core.db import session_scope
from core.db.base import utc_now
from core.spreadsheets import literal_cell, safe_cell
from procedures.lookup import matching_form
from procedures.models import ProcedureAlias, ProcedureRecord
from procedures.schema import Procedure, procedure_to_dict

#: CSV columns in export order: every field of the schema.
CSV_COLUMNS: tuple[str, ...] = tuple(Procedure.model_fields)
TEXT_LIST_COLUMNS = frozenset(
    {
        "aliases",
        "steps",
        "applicants",
        "conditions",
        "group",
        "related",
        "changes_2025",
        "notes",
        "to_verify",
    }
)
OBJECT_LIST_COLUMNS = frozenset(
    {"where_to_file", "filing_methods", "documents", "legal_basis", "sources"}
)
#: Columns a CSV file must have (the schema's required fields).
CSV_REQUIRED: tuple[str, ...] = tuple(
    name for name, info in Procedure.model_fields.items() if info.is_required()
)
FORMATS = ("json", "csv")
_MAX_ALIAS = 500
#: Lengths of the key columns (``procedures.id`` VARCHAR(120), ``code`` VARCHAR(20)):
#: checked before writing, PostgreSQL refuses longer values (SQLite would store them).
MAX_ID_CHARS = 120
MAX_CODE_CHARS = 20


class CatalogueImportError(ValueError):
    """The import was refused; ``errors`` holds one line per problem."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class ImportReport:
    """What an import changed: ids added, updated and left unchanged."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        """One Vietnamese line for staff."""
        return (
            f"Đã nhập {self.total} thủ tục: {len(self.added)} thêm mới, "
            f"{len(self.updated)} cập nhật, {len(self.unchanged)} không đổi."
        )


@dataclass
class _Raw:
    """One record as read from the input, before validation."""

    origin: str
    data: Any
    errors: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        rid = self.data.get("id") if isinstance(self.data, dict) else None
        return f"{self.origin} (id {rid})" if isinstance(rid, str) and rid.strip() else self.origin


# ----------------------------------------------------------------------- helpers


def alias_key(text: str) -> str:
    """Folded matching form of a name or alias (see ``lookup.matching_form``)."""
    return matching_form(text)


def content_hash(procedure: Procedure) -> str:
    """SHA-256 of the record's canonical JSON (sorted keys)."""
    canonical = json.dumps(
        procedure_to_dict(procedure), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _validation_lines(label: str, exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(record)"
        lines.append(f"{label}: field '{loc}': {_one_line(err['msg'])}")
    return lines


# ----------------------------------------------------------------------- readers


def _read_json(path: Path) -> tuple[list[_Raw], list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        return [], [f"{path.name}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path.name}: cannot read the file: {_one_line(exc)}"]
    return _from_data(data, path.name)


def _from_data(data: Any, name: str) -> tuple[list[_Raw], list[str]]:
    if isinstance(data, dict) and isinstance(data.get("procedures"), list):
        data = data["procedures"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return [], [f"{name}: expected a list of records, got {type(data).__name__}"]
    return [_Raw(f"{name}: record #{i}", item) for i, item in enumerate(data, start=1)], []


def _read_yaml_file(path: Path) -> tuple[list[_Raw], list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [], [f"{path.name}: cannot read YAML: {_one_line(exc)}"]
    return _from_data(data, path.name)


def _read_yaml_dir(directory: Path) -> tuple[list[_Raw], list[str]]:
    paths = sorted(
        p for p in directory.iterdir() if p.suffix in {".yml", ".yaml"} and p.is_file()
    )
    if not paths:
        return [], [f"{directory}: no *.yml record in this folder"]
    raws: list[_Raw] = []
    errors: list[str] = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            errors.append(f"{path.name}: cannot read YAML: {_one_line(exc)}")
            continue
        raw = _Raw(path.name, data)
        if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"] != path.stem:
            raw.errors.append(
                f"{raw.label}: field 'id': {data['id']!r} does not match the file name "
                f"{path.stem!r}"
            )
        raws.append(raw)
    return raws, errors


def _parse_list_cell(column: str, cell: str) -> list[Any]:
    text = cell.strip()
    if not text:
        return []
    if column in OBJECT_LIST_COLUMNS or text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON in the cell: {exc.msg} (column {exc.colno})") from exc
        if not isinstance(value, list):
            raise ValueError("the cell must hold a JSON array [...]")
        return value
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_csv(text: str, name: str = "<csv>") -> tuple[list[_Raw], list[str]]:
    """Reads the flat CSV template (see the module docstring)."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [f"{name}: row 1 (header): the file is empty"]
    except csv.Error as exc:
        return [], [f"{name}: row 1 (header): {exc}"]
    header = [h.strip() for h in header]
    problems = []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        problems.append("unknown column(s) " + ", ".join(repr(h) for h in unknown))
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        problems.append("missing column(s) " + ", ".join(repr(c) for c in missing))
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        problems.append("repeated column(s) " + ", ".join(repr(h) for h in repeated))
    if problems:
        return [], [
            f"{name}: row 1 (header): wrong CSV header: {'; '.join(problems)} "
            f"(expected columns: {', '.join(CSV_COLUMNS)})"
        ]
    raws: list[_Raw] = []
    errors: list[str] = []
    try:
        # "row N" as a spreadsheet numbers it (header = row 1); a cell may span several lines
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            raw = _Raw(f"{name}: row {number}", {})
            if len(row) != len(header):
                raw.data = {"id": row[0].strip()} if row else {}
                raw.errors.append(
                    f"{raw.label}: (row): expected {len(header)} cells, got {len(row)}"
                )
                raws.append(raw)
                continue
            data: dict[str, Any] = {}
            bad_cells: list[tuple[str, str]] = []
            for column, cell in zip(header, row, strict=True):
                cell = literal_cell(cell)
                if column in TEXT_LIST_COLUMNS or column in OBJECT_LIST_COLUMNS:
                    try:
                        data[column] = _parse_list_cell(column, cell)
                    except ValueError as exc:
                        bad_cells.append((column, str(exc)))
                else:
                    data[column] = cell.strip() or None
            raw.data = data
            raw.errors = [f"{raw.label}: field '{col}': {why}" for col, why in bad_cells]
            raws.append(raw)
    except csv.Error as exc:
        errors.append(f"{name}: line {reader.line_num}: {exc}")  # physical line of the file
    if not raws and not errors:
        errors.append(f"{name}: no record after the header")
    return raws, errors


def _read_csv(path: Path) -> tuple[list[_Raw], list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path.name}: cannot read the file (UTF-8 expected): {_one_line(exc)}"]
    return parse_csv(text, path.name)


def read_input(source: Path | str | Iterable[Any]) -> tuple[list[_Raw], list[str]]:
    """Raw records and file-level errors from a path (file or YAML folder) or a list."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            return _read_yaml_dir(path)
        if not path.is_file():
            return [], [f"{path}: no such file or folder"]
        suffix = path.suffix.lower()
        if suffix == ".json":
            return _read_json(path)
        if suffix == ".csv":
            return _read_csv(path)
        if suffix in {".yml", ".yaml"}:
            return _read_yaml_file(path)
        return [], [f"{path.name}: unsupported file type (use .json, .csv, .yml or a folder)"]
    raws = []
    for i, item in enumerate(source, start=1):
        data = procedure_to_dict(item) if isinstance(item, Procedure) else item
        raws.append(_Raw(f"record #{i}", data))
    return raws, []


def validate_records(
    raws: Sequence[_Raw],
    *,
    known_ids: Iterable[str] = (),
    known_codes: dict[str, str] | None = None,
) -> tuple[list[Procedure], list[str]]:
    """Schema and catalogue checks of every record; returns the valid records and all errors.

    ``known_ids`` / ``known_codes`` (code → id) describe records already stored, so a record
    may point at them in ``related`` and may not take their code.
    """
    errors: list[str] = []
    valid: list[tuple[_Raw, Procedure]] = []
    for raw in raws:
        if raw.errors:
            errors.extend(raw.errors)
            continue
        if not isinstance(raw.data, dict):
            errors.append(f"{raw.label}: (record): a record must be a mapping of fields")
            continue
        try:
            valid.append((raw, Procedure.model_validate(raw.data)))
        except ValidationError as exc:
            errors.extend(_validation_lines(raw.label, exc))
    for raw, proc in valid:
        if len(proc.id) > MAX_ID_CHARS:
            errors.append(f"{raw.label}: field 'id': at most {MAX_ID_CHARS} characters")
        if proc.code is not None and len(proc.code) > MAX_CODE_CHARS:
            errors.append(f"{raw.label}: field 'code': at most {MAX_CODE_CHARS} characters")
    seen: dict[str, str] = {}
    for raw, proc in valid:
        if proc.id in seen:
            errors.append(
                f"{raw.label}: field 'id': duplicate id {proc.id!r} (also in {seen[proc.id]})"
            )
        else:
            seen[proc.id] = raw.origin
    batch_ids = {
        raw.data["id"]
        for raw in raws
        if isinstance(raw.data, dict) and isinstance(raw.data.get("id"), str)
    }
    codes = {code: pid for code, pid in (known_codes or {}).items() if pid not in batch_ids}
    code_origin: dict[str, str] = {}
    for raw, proc in valid:
        if proc.code is None:
            continue
        if proc.code in codes and codes[proc.code] != proc.id:
            where = code_origin.get(proc.code, f"stored record {codes[proc.code]}")
            errors.append(f"{raw.label}: field 'code': duplicate code {proc.code!r} ({where})")
        else:
            codes[proc.code] = proc.id
            code_origin[proc.code] = raw.origin
    all_ids = set(known_ids) | batch_ids
    for raw, proc in valid:
        unknown = [r for r in proc.related if r not in all_ids]
        if unknown:
            errors.append(f"{raw.label}: field 'related': unknown id(s) {', '.join(unknown)}")
    return [proc for _, proc in valid], errors


# ------------------------------------------------------------------------ import


def _aliases(procedure: Procedure) -> list[ProcedureAlias]:
    out: list[ProcedureAlias] = []
    seen: set[str] = set()
    forms = [("name", procedure.name)] + [("alias", a) for a in procedure.aliases]
    for kind, text in forms:
        key = alias_key(text)[:_MAX_ALIAS]
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(ProcedureAlias(alias=text[:_MAX_ALIAS], folded=key, kind=kind))
    return out


def _fill(row: ProcedureRecord, procedure: Procedure, digest: str, by: str, source: str | None):
    # name, field and province are listing copies (the full record is in ``record``): cut to
    # the column lengths, which PostgreSQL enforces
    row.code = procedure.code
    row.name = procedure.name[:500]
    row.field = procedure.field[:200]
    row.groups = list(procedure.group)
    row.online_level = procedure.online_level
    row.province = procedure.province[:200] if procedure.province else None
    row.valid_from = procedure.valid_from
    row.valid_to = procedure.valid_to
    row.record = procedure_to_dict(procedure)
    row.content_hash = digest
    row.imported_by = by[:100]
    row.source_file = source[:500] if source else None


def import_records(
    url: str,
    records_or_path: Path | str | Iterable[Any],
    *,
    by: str,
    source_file: str | None = None,
) -> ImportReport:
    """Validates and stores procedure records in one transaction.

    ``records_or_path``: a ``.json`` file (list of records), a ``.csv`` file (flat template),
    a ``.yml`` file, a folder of YAML records, or a list of dicts / ``Procedure`` objects.
    An identical record is left untouched; a changed one replaces the stored one. Raises
    :class:`CatalogueImportError` (nothing written) when any record is invalid.
    """
    if isinstance(records_or_path, (str, Path)) and source_file is None:
        source_file = str(records_or_path)
    raws, errors = read_input(records_or_path)
    if errors:
        raise CatalogueImportError(errors)
    if not raws:
        raise CatalogueImportError(["(input): no record to import"])
    report = ImportReport()
    with session_scope(url) as session:
        stored = {row.id: row for row in session.scalars(select(ProcedureRecord))}
        known_codes = {row.code: row.id for row in stored.values() if row.code}
        procedures, errors = validate_records(raws, known_ids=stored, known_codes=known_codes)
        if errors:
            raise CatalogueImportError(errors)
        for procedure in procedures:
            digest = content_hash(procedure)
            row = stored.get(procedure.id)
            if row is None:
                row = ProcedureRecord(id=procedure.id)
                _fill(row, procedure, digest, by, source_file)
                row.aliases = _aliases(procedure)
                session.add(row)
                report.added.append(procedure.id)
            elif row.content_hash == digest:
                report.unchanged.append(procedure.id)
            else:
                _fill(row, procedure, digest, by, source_file)
                row.imported_at = utc_now()
                row.aliases.clear()
                session.flush()  # delete old aliases before the unique (id, folded) inserts
                row.aliases.extend(_aliases(procedure))
                report.updated.append(procedure.id)
    return report


# ------------------------------------------------------------------------ export


def stored_procedures(url: str) -> list[Procedure]:
    """Every stored record, validated again, sorted by id."""
    with session_scope(url) as session:
        rows = session.scalars(select(ProcedureRecord).order_by(ProcedureRecord.id)).all()
        return [Procedure.model_validate(row.record) for row in rows]


def stored_rows(url: str) -> list[ProcedureRecord]:
    """Stored rows (detached, without aliases loaded) for listings, sorted by id."""
    with session_scope(url) as session:
        return list(session.scalars(select(ProcedureRecord).order_by(ProcedureRecord.id)))


def get_procedure(url: str, id_or_code: str) -> tuple[Procedure, ProcedureRecord] | None:
    """The record with this id or portal code, with its row; ``None`` when unknown."""
    key = id_or_code.strip()
    with session_scope(url) as session:
        row = session.get(ProcedureRecord, key) or session.scalars(
            select(ProcedureRecord).where(ProcedureRecord.code == key)
        ).first()
        if row is None:
            return None
        return Procedure.model_validate(row.record), row


def stored_aliases(url: str) -> dict[str, list[tuple[str, str]]]:
    """Procedure id → [(alias, kind)] from the aliases table."""
    out: dict[str, list[tuple[str, str]]] = {}
    with session_scope(url) as session:
        for alias in session.scalars(select(ProcedureAlias).order_by(ProcedureAlias.id)):
            out.setdefault(alias.procedure_id, []).append((alias.alias, alias.kind))
    return out


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in OBJECT_LIST_COLUMNS:
        return json.dumps(value, ensure_ascii=False) if value else ""
    if column in TEXT_LIST_COLUMNS:
        if not value:
            return ""
        if any("\n" in v or "\r" in v for v in value) or value[0].lstrip().startswith("["):
            return json.dumps(value, ensure_ascii=False)
        return "\n".join(value)
    return str(value)


def records_to_csv(procedures: Iterable[Procedure]) -> str:
    """The flat CSV template, one row per procedure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for procedure in procedures:
        data = procedure_to_dict(procedure)
        writer.writerow([safe_cell(_cell(c, data[c])) for c in CSV_COLUMNS])
    return out.getvalue()


def records_to_json(procedures: Iterable[Procedure]) -> str:
    """A JSON array of records (UTF-8 text, indented)."""
    data = [procedure_to_dict(p) for p in procedures]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_records(url: str, fmt: str = "json") -> str:
    """Every stored record as ``json`` or ``csv`` text that :func:`import_records` reads back."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    procedures = stored_procedures(url)
    return records_to_json(procedures) if fmt == "json" else records_to_csv(procedures)
