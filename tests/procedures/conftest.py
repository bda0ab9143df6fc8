"""Fixtures for the procedure catalogue tests: records, a throw-away SQLite URL, a lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedures import RECORDS_DIR, load_procedures
from procedures.lookup import ProcedureLookup


@pytest.fixture(scope="session")
def all_procedures():
    return load_procedures(RECORDS_DIR)


@pytest.fixture(scope="session")
def procedure_by_id(all_procedures):
    return {p.id: p for p in all_procedures}


@pytest.fixture(scope="session")
def lookup(all_procedures) -> ProcedureLookup:
    """Built once: underthesea takes a few seconds to load."""
    return ProcedureLookup(all_procedures)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'procedures.db'}"
