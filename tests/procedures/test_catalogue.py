"""Procedure catalogue in the database: migration, import (JSON/CSV/YAML), export, CLI."""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, inspect, select

from core.db import session_scope, upgrade_schema
from core.db.base import Base
from core.db.engine import alembic_config
from procedures import RECORDS_DIR, procedure_to_dict
from procedures.__main__ import main as cli
from procedures.catalogue import (
    CSV_COLUMNS,
    CSV_REQUIRED,
    OBJECT_LIST_COLUMNS,
    TEXT_LIST_COLUMNS,
    CatalogueImportError,
    alias_key,
    export_records,
    get_procedure,
    import_records,
    records_to_csv,
    records_to_json,
    stored_procedures,
)
from procedures.models import ProcedureAlias, ProcedureRecord

SOME_IDS = ["dang-ky-khai-sinh", "dang-ky-tam-tru", "thong-bao-luu-tru"]


def counts(url: str) -> tuple[int, int]:
    with session_scope(url) as session:
        procedures = session.scalar(select(func.count()).select_from(ProcedureRecord))
        aliases = session.scalar(select(func.count()).select_from(ProcedureAlias))
    return procedures, aliases


def snapshot(url: str) -> dict[str, tuple[str, object]]:
    with session_scope(url) as session:
        rows = session.scalars(select(ProcedureRecord))
        return {r.id: (r.content_hash, r.imported_at) for r in rows}


def plain(procedure) -> dict:
    """A record as JSON-ready data, free of ``related`` so it imports on its own."""
    data = copy.deepcopy(procedure_to_dict(procedure))
    data["related"] = []
    return data


@pytest.fixture
def seeded(db_url, procedure_by_id) -> str:
    """A database holding three records."""
    import_records(db_url, [plain(procedure_by_id[i]) for i in SOME_IDS], by="test")
    return db_url


# ------------------------------------------------------------------- migration


def test_migration_creates_the_tables_and_matches_the_models(db_url):
    upgrade_schema(db_url)
    engine = create_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    assert {"procedures", "procedure_aliases", "knowledge_gaps"} <= tables
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if "procedure" in repr(d)]
    assert ours == []
    engine.dispose()


def test_migration_downgrades_to_0001(db_url):
    from alembic import command

    upgrade_schema(db_url)
    command.downgrade(alembic_config(db_url), "0001")
    engine = create_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    assert "procedures" not in tables and "procedure_aliases" not in tables
    assert "knowledge_gaps" in tables
    command.upgrade(alembic_config(db_url), "head")
    assert "procedures" in set(inspect(engine).get_table_names())
    engine.dispose()


def test_migration_renders_portable_ddl_for_postgresql():
    from alembic import command

    config = alembic_config("postgresql+psycopg://user:pass@localhost/troly")
    out = io.StringIO()
    config.stdout = out
    with contextlib.redirect_stdout(out):
        command.upgrade(config, "0001:0002", sql=True)
    ddl = out.getvalue()
    assert "CREATE TABLE procedures" in ddl and "CREATE TABLE procedure_aliases" in ddl
    assert "record JSON NOT NULL" in ddl
    assert "TIMESTAMP WITH TIME ZONE" in ddl and "valid_from DATE" in ddl
    assert "ON DELETE CASCADE" in ddl


# ---------------------------------------------------------------------- import


def test_import_the_yaml_folder(db_url, all_procedures):
    report = import_records(db_url, RECORDS_DIR, by="can-bo-a")
    assert sorted(report.added) == sorted(p.id for p in all_procedures)
    assert report.updated == report.unchanged == []
    n_procedures, n_aliases = counts(db_url)
    assert n_procedures == len(all_procedures)
    assert n_aliases >= n_procedures  # at least the name of each
    assert stored_procedures(db_url) == sorted(all_procedures, key=lambda p: p.id)
    procedure, row = get_procedure(db_url, "dang-ky-khai-sinh")
    assert row.imported_by == "can-bo-a" and row.source_file == str(RECORDS_DIR)
    assert row.name == procedure.name and row.groups == procedure.group
    assert row.record == procedure_to_dict(procedure) and len(row.content_hash) == 64


def test_aliases_are_stored_folded(db_url):
    import_records(db_url, RECORDS_DIR, by="test")
    with session_scope(db_url) as session:
        rows = session.scalars(
            select(ProcedureAlias).where(ProcedureAlias.procedure_id == "dang-ky-khai-sinh")
        ).all()
    folded = {r.folded: r.kind for r in rows}
    assert folded["dang ky khai sinh"] == "name"
    assert "lam giay khai sinh" in folded  # "làm giấy khai sinh" and its no-accent twin
    assert len(folded) == len(rows)
    assert alias_key("Đổi GPLX") == "doi giay phep lai xe"


def test_code_lookup_in_the_database(db_url):
    import_records(db_url, RECORDS_DIR, by="test")
    procedure, _ = get_procedure(db_url, "1.007073")
    assert procedure.id == "lien-thong-khai-tu-xoa-thuong-tru"
    assert get_procedure(db_url, "9.999999") is None


def test_reimporting_identical_records_changes_nothing(seeded, procedure_by_id):
    before = snapshot(seeded)
    batch = [plain(procedure_by_id[i]) for i in SOME_IDS]
    report = import_records(seeded, batch, by="someone-else")
    assert sorted(report.unchanged) == sorted(SOME_IDS) and report.total == 3
    assert snapshot(seeded) == before  # same hash, same import time
    _, row = get_procedure(seeded, SOME_IDS[0])
    assert row.imported_by == "test"
    import_records(seeded, RECORDS_DIR, by="someone-else")
    again = import_records(seeded, RECORDS_DIR, by="someone-else")
    assert again.added == again.updated == [] and len(again.unchanged) == counts(seeded)[0]


def test_a_changed_record_replaces_the_stored_one(seeded, procedure_by_id):
    data = plain(procedure_by_id["dang-ky-tam-tru"])
    data["aliases"] = ["khai báo tạm trú cho sinh viên", "khai bao tam tru sinh vien"]
    data["notes"] = data["notes"] + ["Ghi chú mới do cán bộ bổ sung."]
    unchanged = plain(procedure_by_id["dang-ky-khai-sinh"])
    report = import_records(seeded, [data, unchanged], by="can-bo-b")
    assert report.updated == ["dang-ky-tam-tru"] and report.unchanged == ["dang-ky-khai-sinh"]
    assert report.added == []
    assert "1 cập nhật" in report.summary() and "1 không đổi" in report.summary()
    procedure, row = get_procedure(seeded, "dang-ky-tam-tru")
    assert procedure.notes[-1] == "Ghi chú mới do cán bộ bổ sung."
    assert row.imported_by == "can-bo-b"
    with session_scope(seeded) as session:
        folded = set(
            session.scalars(
                select(ProcedureAlias.folded).where(
                    ProcedureAlias.procedure_id == "dang-ky-tam-tru"
                )
            )
        )
    assert folded == {
        "dang ky tam tru",
        "khai bao tam tru cho sinh vien",
        "khai bao tam tru sinh vien",
    }


def test_related_may_point_at_stored_records(seeded, procedure_by_id):
    data = plain(procedure_by_id["khai-bao-tam-vang"])
    data["related"] = ["dang-ky-tam-tru"]  # stored by the fixture, not in this batch
    assert import_records(seeded, [data], by="test").added == ["khai-bao-tam-vang"]


# ------------------------------------------------------------------ round trip


def test_json_export_imports_back_equal(tmp_path, all_procedures):
    source = f"sqlite:///{tmp_path / 'a.db'}"
    target = f"sqlite:///{tmp_path / 'b.db'}"
    import_records(source, RECORDS_DIR, by="test")
    path = tmp_path / "danh-muc.json"
    path.write_text(export_records(source, "json"), encoding="utf-8")
    assert import_records(target, path, by="test").total == len(all_procedures)
    assert stored_procedures(target) == stored_procedures(source)
    assert export_records(target, "json") == export_records(source, "json")
    # and into the source again: nothing to do
    assert import_records(source, path, by="test").unchanged


def test_csv_export_imports_back_equal(tmp_path, all_procedures):
    source = f"sqlite:///{tmp_path / 'a.db'}"
    target = f"sqlite:///{tmp_path / 'b.db'}"
    import_records(source, RECORDS_DIR, by="test")
    text = export_records(source, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_COLUMNS) and len(rows) == len(all_procedures) + 1
    path = tmp_path / "danh-muc.csv"
    path.write_text(text, encoding="utf-8-sig")  # as the CLI writes it, with a BOM
    report = import_records(target, path, by="test")
    assert len(report.added) == len(all_procedures)
    assert stored_procedures(target) == stored_procedures(source)
    assert export_records(target, "csv") == text


def test_csv_columns_cover_the_schema():
    from procedures.schema import Procedure

    for name, info in Procedure.model_fields.items():
        is_list = str(info.annotation).startswith("list")
        assert is_list == (name in TEXT_LIST_COLUMNS | OBJECT_LIST_COLUMNS), name
    assert {"id", "name", "aliases", "sources", "last_reviewed"} <= set(CSV_REQUIRED)


def test_csv_from_a_spreadsheet_semicolons_and_json_cells(tmp_path, db_url, procedure_by_id):
    """Some spreadsheets save with ';'; a list cell may also be written as a JSON array."""
    data = plain(procedure_by_id["thong-bao-luu-tru"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    columns = [c for c in CSV_COLUMNS if c in CSV_REQUIRED or c in ("steps", "to_verify")]
    writer.writerow(columns)
    cells = []
    for c in columns:
        value = data[c]
        if c == "aliases":
            cells.append(json.dumps(value, ensure_ascii=False))
        elif c in TEXT_LIST_COLUMNS:
            cells.append("\n".join(value))
        elif c in OBJECT_LIST_COLUMNS:
            cells.append(json.dumps(value, ensure_ascii=False))
        else:
            cells.append("" if value is None else str(value))
    writer.writerow(cells)
    path = tmp_path / "mot-dong.csv"
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    assert import_records(db_url, path, by="test").added == ["thong-bao-luu-tru"]
    procedure, _ = get_procedure(db_url, "thong-bao-luu-tru")
    assert procedure.aliases == procedure_by_id["thong-bao-luu-tru"].aliases
    assert procedure.steps == procedure_by_id["thong-bao-luu-tru"].steps
    assert procedure.filing_methods == []  # column left out: empty list


def test_records_to_json_and_csv_need_no_database(all_procedures):
    data = json.loads(records_to_json(all_procedures))
    assert [d["id"] for d in data] == [p.id for p in all_procedures]
    assert records_to_csv(all_procedures).count("\n") >= len(all_procedures) + 1


# ----------------------------------------------------------------- bad input


def _write_json(path: Path, records) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _records(procedure_by_id) -> list[dict]:
    """A batch: one change to a stored record, one new record, one more new record."""
    changed = plain(procedure_by_id["dang-ky-khai-sinh"])
    changed["notes"] = ["Thay đổi không được phép ghi khi lô có lỗi."]
    return [
        changed,
        plain(procedure_by_id["khai-bao-tam-vang"]),
        plain(procedure_by_id["dang-ky-ket-hon"]),
    ]


def _refused(url: str, source) -> list[str]:
    before, snap = counts(url), snapshot(url)
    with pytest.raises(CatalogueImportError) as info:
        import_records(url, source, by="test")
    assert counts(url) == before, "nothing may be committed"
    assert snapshot(url) == snap
    errors = info.value.errors
    assert errors and all("\n" not in e for e in errors)
    return errors


def test_invalid_json_is_refused(seeded, tmp_path):
    path = tmp_path / "hong.json"
    path.write_text('[{"id": "dang-ky-khai-sinh", "name": }]', encoding="utf-8")
    [error] = _refused(seeded, path)
    assert "hong.json" in error and "invalid JSON" in error and "line 1" in error


def test_missing_name_is_refused_and_nothing_is_written(seeded, tmp_path, procedure_by_id):
    records = _records(procedure_by_id)
    del records[2]["name"]
    errors = _refused(seeded, _write_json(tmp_path / "lo.json", records))
    assert errors == ["lo.json: record #3 (id dang-ky-ket-hon): field 'name': Field required"]


def test_bad_method_is_refused(seeded, tmp_path, procedure_by_id):
    records = _records(procedure_by_id)
    records[1]["filing_methods"][0]["method"] = "fax"
    [error] = _refused(seeded, _write_json(tmp_path / "lo.json", records))
    assert "record #2 (id khai-bao-tam-vang)" in error
    assert "field 'filing_methods.0.method'" in error and "'online'" in error


def test_bad_date_is_refused(seeded, tmp_path, procedure_by_id):
    records = _records(procedure_by_id)
    records[0]["valid_from"] = "01/10/2025"
    [error] = _refused(seeded, _write_json(tmp_path / "lo.json", records))
    assert "record #1 (id dang-ky-khai-sinh): field 'valid_from'" in error
    assert "YYYY-MM-DD" in error


def test_every_error_of_the_batch_is_reported(seeded, tmp_path, procedure_by_id):
    records = _records(procedure_by_id)
    records[0]["last_reviewed"] = "2026-02-30"
    records[2]["documents"] = [{"name": "Tờ khai", "quantity": 0, "original_or_copy": "bản sao"}]
    records.append("not a record")
    errors = _refused(seeded, _write_json(tmp_path / "lo.json", records))
    assert any("record #1" in e and "field 'last_reviewed'" in e for e in errors)
    assert any("record #3" in e and "field 'documents.0.quantity'" in e for e in errors)
    assert any(e.startswith("lo.json: record #4: (record)") for e in errors)


def test_duplicate_id_is_refused(seeded, tmp_path, procedure_by_id):
    records = _records(procedure_by_id)
    records.append(copy.deepcopy(records[1]))
    [error] = _refused(seeded, _write_json(tmp_path / "lo.json", records))
    assert "record #4 (id khai-bao-tam-vang): field 'id': duplicate id" in error
    assert "record #2" in error


def test_code_taken_by_a_stored_record_is_refused(db_url, tmp_path, procedure_by_id):
    import_records(db_url, RECORDS_DIR, by="test")
    records = _records(procedure_by_id)
    records[2]["code"] = "1.007073"
    [error] = _refused(db_url, _write_json(tmp_path / "lo.json", records))
    assert "field 'code'" in error and "lien-thong-khai-tu-xoa-thuong-tru" in error


def test_unknown_related_id_is_refused(seeded, tmp_path, procedure_by_id):
    records = _records(procedure_by_id)
    records[1]["related"] = ["khong-co-thu-tuc-nay"]
    [error] = _refused(seeded, _write_json(tmp_path / "lo.json", records))
    assert "field 'related'" in error and "khong-co-thu-tuc-nay" in error


def test_wrong_csv_header_is_refused(seeded, tmp_path, all_procedures):
    text = records_to_csv(all_procedures[:2])
    header, rest = text.split("\n", 1)
    bad = header.replace("name,", "ten_thu_tuc,", 1)
    path = tmp_path / "sai-cot.csv"
    path.write_text(bad + "\n" + rest, encoding="utf-8")
    [error] = _refused(seeded, path)
    assert "sai-cot.csv: row 1 (header): wrong CSV header" in error
    assert "unknown column(s) 'ten_thu_tuc'" in error and "missing column(s) 'name'" in error


def test_bad_csv_cells_name_the_line_and_the_column(seeded, tmp_path, procedure_by_id):
    pair = [procedure_by_id["dang-ky-ket-hon"], procedure_by_id["khai-bao-tam-vang"]]
    text = records_to_csv(pair)
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][CSV_COLUMNS.index("related")] = ""
    rows[2][CSV_COLUMNS.index("related")] = ""
    rows[2][CSV_COLUMNS.index("sources")] = "[{khong phai json"
    rows[1][CSV_COLUMNS.index("valid_from")] = "2025-13-01"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "o-loi.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    errors = _refused(seeded, path)
    assert any(
        e.startswith("o-loi.csv: row 2 (id dang-ky-ket-hon): field 'valid_from'") for e in errors
    )
    assert any(
        e.startswith("o-loi.csv: row 3 (id khai-bao-tam-vang): field 'sources': invalid JSON")
        for e in errors
    )


def test_yaml_folder_with_a_bad_file_is_refused(seeded, tmp_path, procedure_by_id):
    for pid in ("khai-bao-tam-vang", "dang-ky-ket-hon"):
        data = plain(procedure_by_id[pid])
        if pid == "dang-ky-ket-hon":
            data["filing_methods"][0]["method"] = "email"
        (tmp_path / f"{pid}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
    (tmp_path / "ten-khac.yml").write_text(
        yaml.safe_dump(plain(procedure_by_id["dang-ky-khai-tu"]), allow_unicode=True),
        encoding="utf-8",
    )
    errors = _refused(seeded, tmp_path)
    assert any(
        e.startswith("dang-ky-ket-hon.yml (id dang-ky-ket-hon): field 'filing_methods.0.method'")
        for e in errors
    )
    assert any("ten-khac.yml" in e and "field 'id'" in e for e in errors)


def test_unsupported_or_missing_files_are_refused(seeded, tmp_path):
    (tmp_path / "danh-muc.xlsx").write_bytes(b"PK")
    assert "unsupported" in _refused(seeded, tmp_path / "danh-muc.xlsx")[0]
    assert "no such file" in _refused(seeded, tmp_path / "khong-co.json")[0]


# ------------------------------------------------------------------------- CLI


def test_cli_import_list_show_export(db_url, tmp_path, capsys):
    assert cli(["--db", db_url, "import", str(RECORDS_DIR), "--by", "can-bo-c"]) == 0
    count = len(list(RECORDS_DIR.glob("*.yml")))
    assert f"{count} thêm mới" in capsys.readouterr().out
    assert cli(["--db", db_url, "list"]) == 0
    out = capsys.readouterr().out
    assert f"Có {count} thủ tục" in out and "1.007073" in out and "Đăng ký khai sinh" in out
    assert cli(["--db", db_url, "show", "1.007073"]) == 0
    out = capsys.readouterr().out
    assert "Thủ tục liên thông đăng ký khai tử" in out and "bởi can-bo-c" in out
    assert cli(["--db", db_url, "show", "dang-ky-khai-sinh", "--citizen", "--part", "fee"]) == 0
    assert "Nguồn:" in capsys.readouterr().out
    assert cli(["--db", db_url, "show", "khong-co"]) == 1
    assert "Không tìm thấy" in capsys.readouterr().err
    target = tmp_path / "xuat.csv"
    assert cli(["--db", db_url, "export", "--format", "csv", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,code,name")
    assert cli(["--db", db_url, "export", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == count


def test_cli_reports_errors_in_vietnamese(seeded, tmp_path, capsys):
    path = tmp_path / "hong.json"
    path.write_text("{", encoding="utf-8")
    assert cli(["--db", seeded, "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Chưa ghi gì vào cơ sở dữ liệu" in err and "hong.json" in err


def test_csv_export_never_starts_a_cell_with_a_formula():
    """A record whose text starts with '=' or '-' is exported as literal text and round-trips."""
    from procedures.catalogue import parse_csv, records_to_csv
    from procedures.schema import load_procedures

    procedure = load_procedures()[0]
    risky = procedure.model_copy(update={
        "name": '=HYPERLINK("http://x","bấm vào")',
        "aliases": ["-1+1 lam giay", *procedure.aliases],
    })
    text = records_to_csv([risky])
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[1])
    raws, errors = parse_csv(text)
    assert not errors and raws[0].data["name"] == risky.name
    assert raws[0].data["aliases"][0] == "-1+1 lam giay"
