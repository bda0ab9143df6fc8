"""Gateway tests keep their accounts database in a temporary folder, not in var/."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _accounts_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    path = tmp_path_factory.mktemp("gateway-db") / "accounts.db"
    saved = os.environ.get("TROLY_ACCOUNTS_DATABASE_URL")
    os.environ["TROLY_ACCOUNTS_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    if saved is None:
        os.environ.pop("TROLY_ACCOUNTS_DATABASE_URL", None)
    else:
        os.environ["TROLY_ACCOUNTS_DATABASE_URL"] = saved
