"""Fixtures: a fresh SQLite database per test and the seed reports directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indicators.figures.evaluate import default_seeds_dir
from indicators.observations import ObservationInput

HA_GIANG_DOC = "000_956fdc6dbb6455d8.txt"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'indicators.db'}"


@pytest.fixture
def seeds_dir() -> Path:
    path = default_seeds_dir()
    if not (path / HA_GIANG_DOC).exists():
        pytest.skip(f"seed reports not available in {path}")
    return path


def obs(province: str = "old:ha-giang", indicator: str = "online_services_rate",
        value: float = 96.9, **kw) -> ObservationInput:
    """An observation input with test defaults (a made-up source)."""
    kw.setdefault("as_of", dt.date(2023, 12, 3))
    kw.setdefault("source_title", "Báo cáo thử nghiệm")
    return ObservationInput(province=province, indicator=indicator, value=value, **kw)
