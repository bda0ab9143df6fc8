"""Personal data after the end-to-end run: ID and phone numbers that citizens type are never
written unmasked to a log file or a table, ours or Rasa's tracker store (runs last: the e2e
files are collected in order)."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.e2e.conftest import E2E_DB, E2E_TRACKER_DB, LOG_DIR, log_offsets

pytestmark = pytest.mark.stack

# what the messages below contain, in several spellings
SENT_IDS = ("079203004561", "001098765432")
SENT_PHONES = ("0987654321", "0912876543")
MESSAGES = (
    "CCCD của tôi là 079203004561, sđt 0987654321, tôi muốn đổi thẻ căn cước",
    "số định danh 0010 9876 5432 bị khóa tài khoản VNeID, gọi lại 0912.876.543 giúp tôi",
    "tôi tên Lan, cccd 079-203-004-561, cần làm hộ chiếu gấp, liên hệ +84 987 654 321",
)


def spelled_anyhow(number: str) -> re.Pattern[str]:
    """The digits of ``number`` with up to three separators between any two of them."""
    digits = number.removeprefix("0")
    body = r"[^0-9]{0,3}".join(digits)
    return re.compile(rf"(?<![0-9])(?:\+?84[^0-9]{{0,3}}|0)?{body}(?![0-9])")


def test_personal_numbers_typed_by_citizens_are_never_stored_unmasked(gateway) -> None:
    for i, message in enumerate(MESSAGES):
        response = gateway.post("/api/chat", json={"sender_id": f"e2e-pii-{i}", "message": message})
        assert response.status_code == 200
    patterns = [spelled_anyhow(n) for n in SENT_IDS + SENT_PHONES]
    found: list[str] = []
    for path in sorted(LOG_DIR.glob("*.log")):
        with path.open("rb") as handle:
            handle.seek(log_offsets().get(path.name, 0))
            text = handle.read().decode("utf-8", errors="replace")
        found += [f"{path.name}: {p.pattern[:30]}" for p in patterns if p.search(text)]
    for database in (E2E_DB, E2E_TRACKER_DB):  # ours, and Rasa's conversations
        with sqlite3.connect(database) as db:
            tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
            for table in tables:
                for row in db.execute(f'select * from "{table}"'):  # noqa: S608 - known names
                    text = " ".join(str(cell) for cell in row if cell is not None)
                    found += [f"{database.name} {table}" for p in patterns if p.search(text)]
    assert not found, found
