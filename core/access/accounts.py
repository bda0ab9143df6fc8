"""Staff accounts: argon2id password hashes, timing-safe verification and demo accounts."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from core.access.models import Account
from core.access.permissions import ROLES
from core.db import session_scope

logger = logging.getLogger("core.access")

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{1,63}$")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 256
MAX_FULL_NAME_CHARS = 200  # accounts.full_name is VARCHAR(200)

# (role, env user var, default user, env password var, default password, province, full name)
DEMO_ACCOUNTS = (
    (
        "official",
        "TROLY_DEMO_OFFICIAL_USER",
        "canbo.hagiang",
        "TROLY_DEMO_OFFICIAL_PASSWORD",
        "DemoHaGiang@2025",
        "ha-giang",
        "Cán bộ Hà Giang (demo)",
    ),
    (
        "admin",
        "TROLY_DEMO_ADMIN_USER",
        "quantri",
        "TROLY_DEMO_ADMIN_PASSWORD",
        "DemoQuanTri@2025",
        None,
        "Quản trị hệ thống (demo)",
    ),
    (
        "one_stop_staff",
        "TROLY_DEMO_STAFF_USER",
        "motcua",
        "TROLY_DEMO_STAFF_PASSWORD",
        "DemoMotCua@2025",
        None,
        "Cán bộ một cửa (demo)",
    ),
)


class AccountError(ValueError):
    """An account cannot be created or changed as asked."""


@dataclass(frozen=True)
class AccountInfo:
    """An account without its password hash."""

    id: int
    username: str
    full_name: str
    province: str | None
    role: str
    active: bool


@lru_cache(maxsize=1)
def password_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)."""
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so they cost as much as known ones."""
    return password_hasher().hash("timing-equaliser-not-a-password")


def normalize_username(username: str) -> str:
    return username.strip().lower()


def province_exists(slug: str) -> bool:
    """Whether ``slug`` is a unit slug or code in ``core/geo``."""
    from core.geo.provinces import load_provinces

    return any(slug in (unit.slug, unit.code) for unit in load_provinces().provinces)


def _info(account: Account) -> AccountInfo:
    return AccountInfo(
        id=account.id,
        username=account.username,
        full_name=account.full_name,
        province=account.province,
        role=account.role,
        active=account.active,
    )


def _check_password(password: str) -> None:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise AccountError(
            f"password must have {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"
        )


def create_account(
    url: str,
    username: str,
    password: str,
    role: str,
    province: str | None = None,
    full_name: str = "",
    active: bool = True,
) -> AccountInfo:
    """Creates an account; officials need a province that exists in ``core/geo``."""
    username = normalize_username(username)
    if not USERNAME_PATTERN.match(username):
        raise AccountError(f"invalid username {username!r}")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if role == "official" and not province:
        raise AccountError("an official needs a province")
    if province and not province_exists(province):
        raise AccountError(f"unknown province {province!r}")
    if len(full_name) > MAX_FULL_NAME_CHARS or "\x00" in full_name:
        raise AccountError(
            f"full name must have at most {MAX_FULL_NAME_CHARS} characters and no NUL"
        )
    _check_password(password)
    with session_scope(url) as session:
        if session.scalar(select(Account.id).where(Account.username == username)) is not None:
            raise AccountError(f"username {username!r} already exists")
        account = Account(
            username=username,
            password_hash=password_hasher().hash(password),
            full_name=full_name,
            province=province or None,
            role=role,
            active=active,
        )
        session.add(account)
        session.flush()
        return _info(account)


def get_account(url: str, username: str) -> AccountInfo | None:
    with session_scope(url) as session:
        account = session.scalar(
            select(Account).where(Account.username == normalize_username(username))
        )
        return _info(account) if account else None


def set_password(url: str, username: str, password: str) -> None:
    """Replaces the password of an existing account."""
    _check_password(password)
    with session_scope(url) as session:
        account = session.scalar(
            select(Account).where(Account.username == normalize_username(username))
        )
        if account is None:
            raise AccountError(f"no account {username!r}")
        account.password_hash = password_hasher().hash(password)


def set_active(url: str, username: str, active: bool) -> None:
    """Enables or disables an account (disabled accounts cannot log in)."""
    with session_scope(url) as session:
        account = session.scalar(
            select(Account).where(Account.username == normalize_username(username))
        )
        if account is None:
            raise AccountError(f"no account {username!r}")
        account.active = active


def authenticate(url: str, username: str, password: str) -> AccountInfo | None:
    """The account when the credentials are right and it is active, else None.

    Unknown users are verified against a dummy hash, so the answer takes about as long whether
    or not the username exists. Outdated hashes are upgraded on success.
    """
    username = normalize_username(username)
    hasher = password_hasher()
    with session_scope(url) as session:
        account = None
        if USERNAME_PATTERN.match(username):
            account = session.scalar(select(Account).where(Account.username == username))
        stored = account.password_hash if account is not None else _dummy_hash()
        try:
            hasher.verify(stored, password[:MAX_PASSWORD_CHARS])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if account is None or not account.active:
            return None
        if len(password) > MAX_PASSWORD_CHARS:
            return None
        if hasher.check_needs_rehash(account.password_hash):
            account.password_hash = hasher.hash(password)
        return _info(account)


def ensure_demo_accounts(url: str, env: Mapping[str, str] | None = None) -> list[str]:
    """Creates the missing demo accounts (names and passwords from the environment).

    Existing accounts are left untouched (their password is not reset). Returns the usernames
    created by this call.
    """
    env = os.environ if env is None else env
    created: list[str] = []
    for role, user_var, user, pass_var, password, province, full_name in DEMO_ACCOUNTS:
        username = normalize_username(env.get(user_var) or user)
        if province and not province_exists(province):
            raise AccountError(f"demo province {province!r} not in knowledge/geo")
        if get_account(url, username) is not None:
            continue
        create_account(
            url,
            username,
            env.get(pass_var) or password,
            role,
            province=province,
            full_name=full_name,
        )
        logger.info("created demo account %s (role %s)", username, role)
        created.append(username)
    return created


def disable_demo_accounts(url: str, env: Mapping[str, str] | None = None) -> list[str]:
    """Outside dev mode the demo accounts (published passwords) must not log in: disables
    every one that exists and is active. Returns the usernames disabled by this call."""
    env = os.environ if env is None else env
    disabled: list[str] = []
    for _role, user_var, user, _pass_var, _password, _province, _name in DEMO_ACCOUNTS:
        username = normalize_username(env.get(user_var) or user)
        account = get_account(url, username)
        if account is not None and account.active:
            set_active(url, username, False)
            logger.warning("demo account %s disabled (not in dev mode)", username)
            disabled.append(username)
    return disabled


def is_active(url: str, username: str) -> bool:
    """Whether ``username`` is an existing, active account (checked on every staff request)."""
    account = get_account(url, username)
    return account is not None and account.active

