"""Retention, export and erasure from the command line (the operator's tools for a schedule
outside the gateway and for written requests)."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, func, select

from analytics.conversations import EVENTS
from core.access.audit import list_entries
from core.config import DatabaseSettings
from privacy.__main__ import main as cli
from tests.analytics.tracker import at, user, write_tracker


def _stores(tmp_path, monkeypatch):
    tracker = write_tracker(tmp_path / "tracker.db", [
        user("web:old", at("2025-01-05 09:00"), "lệ phí hộ chiếu", "ask_procedure"),
        user("web:new", at("2026-12-01 09:00"), "đổi thẻ căn cước", "ask_procedure"),
    ])
    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    # this test's databases, whatever the session's environment names
    monkeypatch.setenv("TROLY_DATABASE_URL", f"sqlite:///{tmp_path / 'troly06.db'}")
    monkeypatch.delenv("TROLY_ACCOUNTS_DATABASE_URL", raising=False)
    monkeypatch.setenv("TROLY_TRACKER_DATABASE_URL", tracker)
    return DatabaseSettings(), tracker


def _events(tracker: str) -> int:
    with create_engine(tracker).connect() as conn:
        return conn.execute(select(func.count()).select_from(EVENTS)).scalar_one()


def test_purge_dry_run_then_purge_from_the_command_line(tmp_path, monkeypatch, capsys) -> None:
    db, tracker = _stores(tmp_path, monkeypatch)
    assert cli(["purge", "--dry-run"]) == 0
    assert "Sẽ xóa" in capsys.readouterr().out and _events(tracker) == 2
    assert cli(["purge"]) == 0
    assert "events=1" in capsys.readouterr().out and _events(tracker) == 1
    assert [e.detail["events"] for e in list_entries(db.audit_url)
            if e.action == "privacy.purge"] == [1]


def test_export_and_erase_on_a_written_request(tmp_path, monkeypatch, capsys) -> None:
    db, tracker = _stores(tmp_path, monkeypatch)
    out = tmp_path / "web-new.json"
    assert cli(["export", "web:new", "--reference", "05/YC", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["messages"][0]["text"] == (
        "đổi thẻ căn cước")
    assert cli(["erase", "web:new", "--reference", "05/YC"]) == 0
    assert _events(tracker) == 1
    actions = {e.action: e.detail for e in list_entries(db.audit_url)}
    assert actions["privacy.export"] == {"reference": "05/YC"}
    assert actions["privacy.erase"]["events"] == 1
