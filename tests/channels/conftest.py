"""Gateway tests keep their accounts database in a temporary folder, not in var/."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from core.config import (
    DatabaseSettings,
    GatewaySettings,
    HandoffSettings,
    KnowledgeSettings,
    SecretSettings,
    Settings,
)


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


def make_settings(**fields) -> Settings:
    """``Settings`` with each given field put in the section that owns it (dev mode unless
    said otherwise: the tests use the development secrets)."""
    fields.setdefault("dev_mode", True)
    sections = {}
    for name, cls in (("gateway", GatewaySettings), ("secrets", SecretSettings),
                      ("database", DatabaseSettings), ("knowledge", KnowledgeSettings),
                      ("handoff", HandoffSettings)):
        sections[name] = cls(**{k: v for k, v in fields.items() if k in cls.model_fields})
    unknown = set(fields) - {f for s in sections.values() for f in type(s).model_fields}
    assert not unknown, f"no section has {unknown}"
    return Settings(**sections)
