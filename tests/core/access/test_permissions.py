"""Permission matrix: officials read all and write their province, staff read procedures."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.access.permissions import can_read, can_write, is_allowed, same_province


@dataclass
class Who:
    role: str
    province: str | None = None


OFFICIAL = Who("official", "ha-giang")
ADMIN = Who("admin")
STAFF = Who("one_stop_staff")


@pytest.mark.parametrize(
    ("identity", "action", "resource", "province", "allowed"),
    [
        (OFFICIAL, "read", "indicators", "ha-noi", True),
        (OFFICIAL, "read", "procedures", None, True),
        (OFFICIAL, "import", "indicators", "ha-giang", True),
        (OFFICIAL, "approve", "indicators", "ha-giang", True),
        (OFFICIAL, "import", "indicators", "old:ha-giang", True),
        (OFFICIAL, "import", "indicators", "ha-noi", False),
        (OFFICIAL, "approve", "procedures", "ha-noi", False),
        (OFFICIAL, "import", "indicators", None, False),
        # Hà Giang merged into Tuyên Quang; the old unit's official does not get the new one.
        (OFFICIAL, "import", "indicators", "tuyen-quang", False),
        (OFFICIAL, "read", "audit", None, False),
        (ADMIN, "import", "indicators", "ha-noi", True),
        (ADMIN, "approve", "procedures", None, True),
        (ADMIN, "read", "audit", None, True),
        (STAFF, "read", "procedures", None, True),
        (STAFF, "read", "indicators", None, False),
        (STAFF, "import", "procedures", "ha-giang", False),
        (STAFF, "approve", "procedures", None, False),
        (None, "read", "procedures", None, False),
        (Who("citizen"), "read", "indicators", None, False),
    ],
)
def test_matrix(identity, action, resource, province, allowed) -> None:
    assert is_allowed(identity, action, resource, province) is allowed


def test_shortcuts() -> None:
    assert can_read(OFFICIAL, "indicators") and not can_read(STAFF, "indicators")
    assert can_write(OFFICIAL, "indicators", "ha-giang")
    assert not can_write(OFFICIAL, "indicators", "cao-bang")
    assert can_write(ADMIN, "indicators", "cao-bang")
    assert not can_write(STAFF, "procedures", None)


def test_unknown_action_or_resource_is_an_error() -> None:
    with pytest.raises(ValueError):
        is_allowed(ADMIN, "delete", "indicators")
    with pytest.raises(ValueError):
        is_allowed(ADMIN, "read", "secrets")


def test_same_province() -> None:
    assert same_province("ha-giang", "old:ha-giang")
    assert not same_province(None, None)
    assert not same_province("ha-giang", "ha-noi")
