"""`python -m knowledge figures …` (the command the issue names) reaches the extractor CLI."""

from __future__ import annotations

import json

from knowledge.__main__ import main


def test_knowledge_figures_extract(tmp_path, capsys):
    report = tmp_path / "bao-cao.txt"
    report.write_text(
        "Báo cáo thử nghiệm của tỉnh Hà Giang. Tính đến ngày 30/11/2023, địa phương có tỷ lệ "
        "kích hoạt định danh điện tử đạt 83,7% và xếp thứ 15/63 cả nước.\n",
        encoding="utf-8",
    )
    assert main(["figures", "extract", str(report)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert any(r["value"] == 83.7 and r["rank"] == 15 for r in rows)
