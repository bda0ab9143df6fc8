"""The database layer on a real PostgreSQL server (``make pg-test``).

``TROLY_TEST_PG_URL`` names a throw-away database (``scripts/postgres.sh url``); without it
every test here is skipped. The tests work in their own schema (``troly06_pytest``), dropped
and created again at the start of the run, so the schema always starts from the first
migration; every table is emptied before each test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from argon2 import PasswordHasher
from sqlalchemy import create_engine, func, inspect, make_url, select, text

from core.access import accounts, audit
from core.access.accounts import (
    AccountError,
    authenticate,
    create_account,
    ensure_demo_accounts,
    get_account,
    set_active,
)
from core.db import session_scope
from core.db.base import Base
from core.db.engine import alembic_config, get_engine
from curation.gaps import close_gaps, list_gaps, record_gap
from curation.models import KnowledgeGap
from indicators import (
    add_observation,
    approve,
    compare,
    latest,
    load_seed_figures,
    propose,
    ranking,
    reject,
    sync_reference,
    trend,
)
from indicators.figures.evaluate import default_seeds_dir
from indicators.importer import COLUMNS, ImportValidationError, import_file
from indicators.models import IndicatorRow, Observation, ProvinceAliasRow, ProvinceRow
from indicators.observations import ObservationInput, count_observations
from procedures import RECORDS_DIR
from procedures.catalogue import (
    CatalogueImportError,
    export_records,
    get_procedure,
    import_records,
    stored_procedures,
)
from procedures.lookup import ProcedureLookup
from procedures.models import ProcedureAlias, ProcedureRecord

pytestmark = pytest.mark.postgres

ENV = "TROLY_TEST_PG_URL"
SCHEMA = "troly06_pytest"
HA_GIANG_DOC = "000_956fdc6dbb6455d8.txt"


def _schema_url(base: str) -> str:
    """``base`` with every connection's search_path set to the test schema."""
    url = make_url(base).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def pg_base_url() -> str:
    base = os.environ.get(ENV, "").strip()
    if not base:
        pytest.skip(f"{ENV} is not set: run `make pg-test` (scripts/postgres.sh start)")
    if make_url(base).get_backend_name() != "postgresql":
        pytest.fail(f"{ENV} must be a postgresql URL, got {make_url(base).get_backend_name()}")
    return base


@pytest.fixture(scope="module")
def pg_schema(pg_base_url: str) -> Iterator[str]:
    """A fresh, empty schema for this run; yields the URL the code under test uses."""
    admin = create_engine(pg_base_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    except Exception as exc:  # report any connection problem clearly
        admin.dispose()
        pytest.fail(f"cannot prepare schema {SCHEMA} at {pg_base_url}: {exc}")
    url = _schema_url(pg_base_url)
    yield url
    get_engine(url).dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


@pytest.fixture
def pg_url(pg_schema: str) -> str:
    """The test schema at the newest migration, every table empty."""
    from alembic import command

    command.upgrade(alembic_config(pg_schema), "head")
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(pg_schema).begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return pg_schema


def _count(url: str, model) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model))


# ------------------------------------------------------------------------ migrations


def test_migrations_run_to_head_and_back_on_a_fresh_schema(pg_schema: str) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config(pg_schema)
    head = ScriptDirectory.from_config(config).get_current_head()
    engine = get_engine(pg_schema)
    with engine.begin() as conn:  # start from an empty schema whatever ran before
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    assert inspect(engine).get_table_names() == []
    command.upgrade(config, "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT current_schema()")).scalar() == SCHEMA
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    tables = set(inspect(engine).get_table_names())
    assert tables == {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}
    assert diff == []  # the migrations build exactly the models' schema on PostgreSQL
    columns = {c["name"]: c for c in inspect(engine).get_columns("observations")}
    assert str(columns["imported_at"]["type"]) == "TIMESTAMP"
    assert columns["imported_at"]["type"].timezone is True
    # every migration also goes back down, and up again
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    command.upgrade(config, "head")
    assert "observations" in inspect(engine).get_table_names()


def test_processes_starting_together_migrate_once(pg_schema: str) -> None:
    """Gateway and action server may both upgrade a fresh database at start-up."""
    engine = get_engine(pg_schema)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    code = "import sys; from core.db import upgrade_schema; upgrade_schema(sys.argv[1])"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, pg_schema], cwd=root, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    assert [rc for rc, _ in results] == [0, 0, 0], [err[-2000:] for _, err in results]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


# ---------------------------------------------------------------------- knowledge gaps


def test_knowledge_gaps_record_list_and_close(pg_url: str) -> None:
    first = record_gap(pg_url, "Tra cứu phạt nguội ở đâu? CCCD 001203004567", intent="x")
    second = record_gap(pg_url, "tra cuu phat nguoi o dau? CCCD 001203004567")
    record_gap(pg_url, "Giá vàng hôm nay?", channel="web", best_coverage=0.2)
    assert second == first + 1  # identity column
    gaps = list_gaps(pg_url)
    assert [g.count for g in gaps] == [2, 1]
    assert "001203004567" not in gaps[0].example and "001203004567" not in gaps[0].normalized
    assert gaps[0].last_asked.tzinfo is not None  # timestamptz comes back aware
    now = dt.datetime.now(dt.timezone.utc)
    assert len(list_gaps(pg_url, since=now - dt.timedelta(hours=1))) == 2
    assert list_gaps(pg_url, since=now + dt.timedelta(hours=1)) == []
    assert close_gaps(pg_url, gaps[0].normalized) == 2
    assert [g.count for g in list_gaps(pg_url)] == [1]
    assert [g.count for g in list_gaps(pg_url, status="closed")] == [2]
    assert _count(pg_url, KnowledgeGap) == 3


def test_gap_with_nul_and_long_metadata_is_stored(pg_url: str) -> None:
    gap_id = record_gap(pg_url, "Hỏi\x00 gì đó?", intent="i" * 150, channel="c" * 80,
                        best_unit="u" * 300)
    with session_scope(pg_url) as session:
        gap = session.get(KnowledgeGap, gap_id)
        assert gap.question == "Hỏi gì đó?"
        assert (len(gap.intent), len(gap.channel), len(gap.best_unit)) == (100, 50, 200)


# ------------------------------------------------------------------ procedure catalogue


def test_procedure_records_import_and_lookup(pg_url: str) -> None:
    n_records = len(list(RECORDS_DIR.glob("*.yml")))
    report = import_records(pg_url, RECORDS_DIR, by="can-bo-a")
    assert len(report.added) == report.total == n_records
    again = import_records(pg_url, RECORDS_DIR, by="can-bo-b")
    assert again.added == again.updated == [] and len(again.unchanged) == n_records
    assert _count(pg_url, ProcedureRecord) == n_records
    assert _count(pg_url, ProcedureAlias) >= n_records
    # JSON columns round-trip Vietnamese text and nested structures
    procedure, row = get_procedure(pg_url, "1.007073")
    assert procedure.id == row.id == "lien-thong-khai-tu-xoa-thuong-tru"
    assert row.record["name"] == procedure.name and isinstance(row.groups, list)
    assert row.imported_at.tzinfo is not None
    assert get_procedure(pg_url, "dang-ky-khai-sinh")[0].name == "Đăng ký khai sinh"
    assert get_procedure(pg_url, "9.999999") is None
    lookup = ProcedureLookup.from_db(pg_url)
    by_code = lookup.find("Thủ tục 1.007073 cần giấy tờ gì?")
    assert by_code.found and by_code.matched_by == "code"
    assert by_code.procedure.id == "lien-thong-khai-tu-xoa-thuong-tru"
    by_name = lookup.find("đăng ký tạm trú")
    assert by_name.found and by_name.procedure.id == "dang-ky-tam-tru"
    # export from PostgreSQL reads back identical records
    exported = json.loads(export_records(pg_url, "json"))
    assert [r["id"] for r in exported] == sorted(p.id for p in stored_procedures(pg_url))


def test_procedure_import_is_all_or_nothing(pg_url: str, tmp_path: Path) -> None:
    good = yaml.safe_load((RECORDS_DIR / "dang-ky-tam-tru.yml").read_text(encoding="utf-8"))
    good["related"] = []
    bad = dict(good, id="thu-tuc-hong", code=None, name="")
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([good, bad], ensure_ascii=False, default=str), encoding="utf-8")
    with pytest.raises(CatalogueImportError) as info:
        import_records(pg_url, path, by="test")
    assert "thu-tuc-hong" in str(info.value) and "name" in str(info.value)
    assert _count(pg_url, ProcedureRecord) == 0 and _count(pg_url, ProcedureAlias) == 0


def test_procedure_column_lengths(pg_url: str, tmp_path: Path) -> None:
    record = yaml.safe_load((RECORDS_DIR / "dang-ky-tam-tru.yml").read_text(encoding="utf-8"))
    record.update(related=[], code=None)
    too_long_id = dict(record, id="thu-tuc-" + "a" * 130)
    path = tmp_path / "long-id.json"
    path.write_text(json.dumps([too_long_id], ensure_ascii=False, default=str), "utf-8")
    with pytest.raises(CatalogueImportError, match="field 'id': at most 120 characters"):
        import_records(pg_url, path, by="test")
    long_name = "Đăng ký tạm trú " + "rất dài " * 80
    path.write_text(json.dumps([dict(record, name=long_name)], ensure_ascii=False, default=str),
                    "utf-8")
    assert import_records(pg_url, path, by="test").added == ["dang-ky-tam-tru"]
    procedure, row = get_procedure(pg_url, "dang-ky-tam-tru")
    assert len(row.name) == 500 and procedure.name == long_name.strip()


# ------------------------------------------------------------------------ indicators


def _obs(value: float, province: str = "old:ha-giang", **kw) -> ObservationInput:
    kw.setdefault("as_of", dt.date(2023, 12, 3))
    kw.setdefault("source_title", "Báo cáo thử nghiệm")
    return ObservationInput(
        province=province, indicator="online_services_rate", value=value, **kw
    )


def test_reference_sync(pg_url: str) -> None:
    first = sync_reference(pg_url)
    assert first.provinces == 34 + 63 and first.indicators > 10 and first.aliases > 97
    assert sync_reference(pg_url).changed == 0
    assert _count(pg_url, ProvinceRow) == 34 + 63
    assert _count(pg_url, ProvinceAliasRow) == first.aliases
    with session_scope(pg_url) as session:
        ha_giang = session.get(ProvinceRow, "old:ha-giang")
        assert ha_giang.merged_into == "tuyen-quang"
        assert ha_giang.valid_to == dt.date(2025, 6, 30)
        indicator = session.get(IndicatorRow, "online_services_rate")
        assert indicator.unit == "%" and isinstance(indicator.synonyms, list)
        assert indicator.group  # the "group" column (an SQL keyword) is quoted


def test_observations_versions_approval_and_queries(pg_url: str) -> None:
    first = add_observation(pg_url, _obs(95.0), by="a")
    second = add_observation(pg_url, _obs(96.9, numerator=1818, denominator=1876), by="b")
    assert (first.version, second.version) == (1, 2)
    assert second.supersedes_id == first.id
    with session_scope(pg_url) as session:
        kept = session.get(Observation, first.id)
        assert kept.value == 95.0 and kept.status == "approved"  # nothing overwritten
    assert add_observation(pg_url, _obs(96.9, numerator=1818, denominator=1876), by="c").id \
        == second.id  # the same figure again is not a new version
    assert count_observations(pg_url) == 2
    fig = latest(pg_url, "Hà Giang", "online_services_rate")
    assert (fig.value, fig.version, fig.numerator) == (96.9, 2, 1818)
    assert fig.current.code == "tuyen-quang"
    # proposals are not answered until approved; a rejected one falls back
    proposed = propose(pg_url, _obs(99.0), by="extractor")
    assert proposed.status == "proposed" and proposed.version == 3
    assert latest(pg_url, "ha giang", "online_services_rate").value == 96.9
    approved = approve(pg_url, proposed.id, by="reviewer")
    assert approved.approved_at is not None and approved.approved_at.tzinfo is not None
    assert latest(pg_url, "Hà Giang", "online_services_rate").value == 99.0
    reject(pg_url, proposed.id, by="reviewer")
    assert latest(pg_url, "Hà Giang", "online_services_rate").value == 96.9
    # other provinces and periods
    add_observation(pg_url, _obs(80.0, as_of=dt.date(2023, 6, 30)), by="a")
    add_observation(pg_url, _obs(88.0, province="old:bac-kan"), by="a")
    add_observation(pg_url, _obs(91.5, province="tuyen-quang", as_of=dt.date(2025, 12, 31),
                                 rank=2, rank_out_of=34), by="a")
    assert [f.value for f in trend(pg_url, "Hà Giang", "online_services_rate")] == [80.0, 96.9]
    pairs = compare(pg_url, "online_services_rate", ["Hà Giang", "Bắc Kạn", "Hà Nội"])
    assert [fig.value if fig else None for _, fig in pairs] == [96.9, 88.0, None]
    ranked = ranking(pg_url, "online_services_rate", period="2023")
    assert [(f.province.code, f.value) for f in ranked] == [
        ("old:ha-giang", 96.9), ("old:bac-kan", 88.0)
    ]
    tq = latest(pg_url, "Tuyên Quang", "online_services_rate")
    assert (tq.value, tq.rank, tq.rank_out_of) == (91.5, 2, 34)


def test_seed_figures_load_on_postgresql(pg_url: str) -> None:
    seeds = default_seeds_dir()
    if not (seeds / HA_GIANG_DOC).exists():
        pytest.skip(f"seed reports not available in {seeds}")
    first = load_seed_figures(pg_url, seeds)
    assert first.created > 10
    fig = latest(pg_url, "Hà Giang", "online_services_rate")
    assert fig.value == 96.9 and (fig.numerator, fig.denominator) == (1818, 1876)
    assert "1.818/1.876" in fig.quoted_span
    again = load_seed_figures(pg_url, seeds)
    assert again.created == 0 and again.unchanged == first.created
    assert count_observations(pg_url) == first.created


HEADER = ",".join(COLUMNS)
GOOD_ROWS = [
    'ha giang,Tỷ lệ DVC trực tuyến,"96,9",%,1.818,1.876,,,,03/12/2023,,Báo cáo A,,,,',
    "Tuyên Quang,online_services_rate,91.5,,,,,2,34,,2025-H2,Báo cáo B,12/BC-UBND,"
    "05/01/2026,https://example.gov.vn/a,ghi chú",
]


def _csv(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_csv_import_and_all_or_nothing(pg_url: str, tmp_path: Path) -> None:
    result = import_file(pg_url, _csv(tmp_path, "good.csv", *GOOD_ROWS), by="tester")
    assert (result.rows, result.created, result.unchanged) == (2, 2, 0)
    tq = latest(pg_url, "tuyen quang", "online_services_rate")
    assert (tq.period_label, tq.source_number, tq.source_date) == (
        "2025-H2", "12/BC-UBND", dt.date(2026, 1, 5)
    )
    # a second figure for the same indicator and period becomes version 2
    newer = GOOD_ROWS[0].replace('"96,9"', '"97,2"')
    assert import_file(pg_url, _csv(tmp_path, "newer.csv", newer), by="tester").created == 1
    fig = latest(pg_url, "Hà Giang", "online_services_rate")
    assert (fig.value, fig.version) == (97.2, 2)
    before = count_observations(pg_url)
    bad_rows = [
        "old:bac-kan,online_services_rate,88,,,,,,,2023-12-03,,Báo cáo C,,,,",  # valid
        "Atlantis,online_services_rate,90,,,,,,,03/12/2023,,Báo cáo,,,,",
        "Hà Giang,online_services_rate,chín mươi,,,,,,,03/12/2023,,Báo cáo,,,,",
    ]
    with pytest.raises(ImportValidationError) as info:
        import_file(pg_url, _csv(tmp_path, "bad.csv", *bad_rows), by="tester")
    assert {(e.row, e.column) for e in info.value.errors} == {(3, "province"), (4, "value")}
    assert count_observations(pg_url) == before  # the valid row was not stored either
    assert latest(pg_url, "Bắc Kạn", "online_services_rate") is None
    # a source number longer than its VARCHAR(200) column is a row error, not a crash
    long_number = GOOD_ROWS[1].replace("12/BC-UBND", "12/BC-UBND-" + "X" * 200)
    with pytest.raises(ImportValidationError) as info:
        import_file(pg_url, _csv(tmp_path, "long.csv", long_number), by="tester")
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "source_number")]
    assert count_observations(pg_url) == before


def test_a_failing_write_rolls_the_whole_import_back(pg_url: str, tmp_path: Path,
                                                     monkeypatch) -> None:
    """A database error half-way through a file leaves nothing behind (one transaction)."""
    from indicators import importer

    original = importer.add_in_session
    calls = []

    def failing(session, data, **kw):
        calls.append(data)
        if len(calls) == 2:
            session.flush()
            raise RuntimeError("disk full")
        return original(session, data, **kw)

    monkeypatch.setattr(importer, "add_in_session", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(pg_url, _csv(tmp_path, "good.csv", *GOOD_ROWS), by="tester")
    assert len(calls) == 2 and count_observations(pg_url) == 0
    assert _count(pg_url, ProvinceRow) == 0  # the reference sync was rolled back too


# ------------------------------------------------------------------- accounts, audit


@pytest.fixture
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "password_hasher", lambda: hasher)
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: hasher.hash("dummy-password"))
    return hasher


def test_accounts_create_and_authenticate(pg_url: str, cheap_hasher) -> None:
    info = create_account(pg_url, "CanBo.Test", "Mat-khau-123", "official", province="ha-noi",
                          full_name="Cán bộ Hà Nội")
    assert info.id == 1 and info.username == "canbo.test"
    assert authenticate(pg_url, "CANBO.TEST ", "Mat-khau-123").province == "ha-noi"
    assert authenticate(pg_url, "canbo.test", "mat-khau-123") is None
    assert authenticate(pg_url, "nobody", "Mat-khau-123") is None
    with pytest.raises(AccountError, match="exists"):
        create_account(pg_url, "canbo.test", "Mat-khau-456", "admin")
    set_active(pg_url, "canbo.test", False)
    assert authenticate(pg_url, "canbo.test", "Mat-khau-123") is None
    assert get_account(pg_url, "canbo.test").active is False
    assert ensure_demo_accounts(pg_url, env={}) == ["canbo.hagiang", "quantri", "motcua"]
    assert ensure_demo_accounts(pg_url, env={}) == []
    assert authenticate(pg_url, "quantri", "DemoQuanTri@2025").role == "admin"
    for bad_name in ("x" * 201, "Tên\x00"):
        with pytest.raises(AccountError, match="full name"):
            create_account(pg_url, "ten.dai", "Mat-khau-123", "admin", full_name=bad_name)
    assert get_account(pg_url, "ten.dai") is None


def test_audit_log_write_and_read(pg_url: str) -> None:
    first = audit.record(
        pg_url,
        "0912345678",
        None,
        "login_failure",
        {"note": "gọi 0912345678 — đăng nhập sai", "password": "Mat-khau-123",
         "nested": {"api_token": "abc", "n": [1, 2.5, None, True]}},
        ip="127.0.0.1",
        request_id="req-1",
    )
    second = audit.record(pg_url, "quantri", "admin", "login_success", {"province": None})
    assert second == first + 1
    entries = audit.list_entries(pg_url)
    assert [e.action for e in entries] == ["login_success", "login_failure"]
    failure = entries[1]
    assert failure.at.tzinfo is not None
    dumped = json.dumps(failure.detail, ensure_ascii=False) + failure.actor
    assert "0912345678" not in dumped and "Mat-khau-123" not in dumped and "abc" not in dumped
    assert failure.detail["password"] == "***"
    assert failure.detail["note"].endswith("— đăng nhập sai")
    assert failure.detail["nested"]["n"] == [1, 2.5, None, True]
    assert (failure.ip, failure.request_id) == ("127.0.0.1", "req-1")
    assert [e.actor for e in audit.list_entries(pg_url, actor="quantri")] == ["quantri"]
    assert len(audit.list_entries(pg_url, action="login_failure", limit=5)) == 1
    # odd input is still audited (no NUL in text, lengths cut to the columns)
    odd = audit.record(pg_url, "ad\x00min", "r" * 30, "login_failure",
                       {"username": "ad\x00min", "k\x00": 1}, request_id="q" * 100)
    [entry] = [e for e in audit.list_entries(pg_url) if e.id == odd]
    assert entry.actor == "admin" and entry.detail["username"] == "admin"
    assert (len(entry.role), len(entry.request_id)) == (20, 64)
