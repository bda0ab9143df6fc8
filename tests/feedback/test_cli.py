"""python -m feedback: staff read the ratings (masked) from the command line."""

from __future__ import annotations

from feedback.__main__ import main
from feedback.conversation import GivenAnswer
from feedback.ratings import record_rating


def test_report_and_wrong_answers(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("TROLY_DATABASE_URL", url)
    assert main(["report"]) == 0
    assert "Chưa có đánh giá nào" in capsys.readouterr().out
    answer = GivenAnswer("procedure:passport", "answer", "hộ chiếu, sđt 0912345678",
                         "Lệ phí cấp hộ chiếu …")
    record_rating(url, sender_id="web-1", channel="web", answer=answer, rating="wrong",
                  reason="wrong_info")
    record_rating(url, sender_id="web-2", channel="zalo", answer=answer, rating="helpful")
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "procedure:passport" in out and "        1        1" in out
    assert main(["wrong", "--source", "procedure:passport"]) == 0
    out = capsys.readouterr().out
    assert "thông tin sai" in out and "0912345678" not in out and "Lệ phí cấp hộ chiếu" in out
