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


def methods_unconfirmed(procedure) -> bool:
    """Every filing method (one at least) is sent to the one-stop desk with no fee or time
    limit: records gain confirmed values over time, so tests of that rule pick such a record
    instead of naming one."""
    methods = procedure.filing_methods
    return bool(methods) and all(
        m.check_with_one_stop and m.fee is None and m.time_limit is None for m in methods
    )
