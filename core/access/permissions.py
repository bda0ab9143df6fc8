"""Who may do what.

* ``admin``: everything.
* ``official``: read data of every province; write (``import`` / ``approve``) only data of
  their own province (compared as ``core/geo`` unit codes, so "ha-giang" and
  "old:ha-giang" are the same unit; a merged unit is *not* its successor).
* ``one_stop_staff``: read procedures only.
* anyone else (citizens, no identity): none of these privileged operations.

``identity`` is anything with ``role`` and ``province`` attributes (a verified
:class:`~core.access.claims.Claim`, an account) or None.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

ROLES = ("official", "admin", "one_stop_staff")
ACTIONS = ("read", "import", "approve")
WRITE_ACTIONS = ("import", "approve")
RESOURCES = ("procedures", "indicators", "knowledge", "gaps", "audit")
_STAFF_READABLE = {"procedures"}
_OFFICIAL_READABLE = {"procedures", "indicators", "knowledge", "gaps"}


@lru_cache(maxsize=256)
def unit_code(province: str) -> str:
    """The ``core/geo`` unit code for a slug or code (the input if unknown)."""
    from core.geo.provinces import load_provinces

    registry = load_provinces()
    for unit in registry.provinces:
        if province == unit.code:
            return unit.code
    matches = [unit for unit in registry.provinces if unit.slug == province]
    if not matches:
        return province
    unit = registry.get(province)
    return unit.code if unit is not None else matches[0].code


def same_province(a: str | None, b: str | None) -> bool:
    """Whether two slugs/codes name the same unit (None never matches)."""
    if not a or not b:
        return False
    return a == b or unit_code(a) == unit_code(b)


def is_allowed(identity: Any, action: str, resource: str, province: str | None = None) -> bool:
    """Whether ``identity`` may ``action`` (read/import/approve) ``resource`` of ``province``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if resource not in RESOURCES:
        raise ValueError(f"unknown resource {resource!r}")
    role = getattr(identity, "role", None)
    if role == "admin":
        return True
    if role == "official":
        if action == "read":
            return resource in _OFFICIAL_READABLE
        return resource in _OFFICIAL_READABLE and same_province(
            getattr(identity, "province", None), province
        )
    if role == "one_stop_staff":
        return action == "read" and resource in _STAFF_READABLE
    return False


def can_read(identity: Any, resource: str) -> bool:
    """Read access to ``resource`` (any province)."""
    return is_allowed(identity, "read", resource)


def can_write(identity: Any, resource: str, province: str | None) -> bool:
    """Import and approve rights on ``resource`` data of ``province``."""
    return all(is_allowed(identity, a, resource, province) for a in WRITE_ACTIONS)
