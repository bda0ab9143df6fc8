"""Access tests use a cheap argon2 configuration (production keeps argon2-cffi's defaults)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from core.access import accounts


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[PasswordHasher]:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "password_hasher", lambda: hasher)
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: hasher.hash("dummy-password"))
    yield hasher
