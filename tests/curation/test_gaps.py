"""Knowledge gaps: unanswered questions stored masked, grouped, listed and closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import DatabaseSettings
from curation.__main__ import main as cli
from curation.gaps import close_gaps, gap_key, list_gaps, record_gap


@pytest.fixture
def settings(tmp_path: Path) -> DatabaseSettings:
    return DatabaseSettings(data_dir=tmp_path)


def test_gap_is_stored_with_pii_masked(settings: DatabaseSettings) -> None:
    url = settings.url
    record_gap(url, "CCCD 001203004567, sđt 0912345678: tra cứu phạt nguội ở đâu?", intent="x")
    [gap] = list_gaps(url)
    assert "001203004567" not in gap.example and "0912345678" not in gap.example
    assert "001203004567" not in gap.normalized
    assert gap.count == 1


def test_same_question_in_other_forms_is_grouped(settings: DatabaseSettings) -> None:
    url = settings.url
    record_gap(url, "Tra cứu phạt nguội ở đâu?")
    record_gap(url, "tra cuu phat nguoi o dau?")
    record_gap(url, "Giá vàng hôm nay?")
    gaps = list_gaps(url)
    assert [g.count for g in gaps] == [2, 1]
    assert gap_key("Tra cứu phạt nguội ở đâu?") == gap_key("tra cuu phat nguoi o dau?")
    assert close_gaps(url, gaps[0].normalized) == 2
    assert [g.count for g in list_gaps(url)] == [1]


def test_gaps_command_lists_them(settings: DatabaseSettings, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TROLY_DATA_DIR", str(settings.data_dir))
    assert cli(["gaps"]) == 0
    assert "Chưa có câu hỏi" in capsys.readouterr().out
    record_gap(settings.url, "Đăng ký nuôi chó mèo ở đâu? gọi 0987654321")
    assert cli(["gaps"]) == 0
    out = capsys.readouterr().out
    assert "Đăng ký nuôi chó mèo ở đâu?" in out and "0987654321" not in out
