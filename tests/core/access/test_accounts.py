"""Accounts: argon2 hashes, verification, demo accounts and the audit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from core.access import accounts, audit
from core.access.accounts import (
    AccountError,
    authenticate,
    create_account,
    ensure_demo_accounts,
    get_account,
    set_active,
    set_password,
)
from core.access.models import Account
from core.db import session_scope


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'access.db'}"


def test_password_is_stored_as_argon2(url: str) -> None:
    create_account(url, "CanBo.Test", "Mat-khau-123", "official", province="ha-noi")
    with session_scope(url) as session:
        row = session.scalar(select(Account).where(Account.username == "canbo.test"))
        assert row.password_hash.startswith("$argon2id$")
        assert "Mat-khau-123" not in row.password_hash


def test_verify_right_wrong_unknown_inactive(url: str) -> None:
    create_account(url, "quantri2", "Mat-khau-123", "admin")
    info = authenticate(url, "QuanTri2 ", "Mat-khau-123")
    assert info is not None and info.role == "admin" and info.province is None
    assert authenticate(url, "quantri2", "mat-khau-123") is None
    assert authenticate(url, "nobody", "Mat-khau-123") is None
    assert authenticate(url, "<script>", "x") is None
    set_active(url, "quantri2", False)
    assert authenticate(url, "quantri2", "Mat-khau-123") is None


def test_unknown_user_still_runs_a_hash_check(url: str, monkeypatch) -> None:
    calls = []
    hasher = accounts.password_hasher()
    original = hasher.verify
    monkeypatch.setattr(
        type(hasher), "verify", lambda self, h, p: calls.append(h) or original(h, p)
    )
    assert authenticate(url, "nobody", "whatever-password") is None
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_set_password(url: str) -> None:
    create_account(url, "motcua2", "Mat-khau-cu-1", "one_stop_staff")
    set_password(url, "motcua2", "Mat-khau-moi-2")
    assert authenticate(url, "motcua2", "Mat-khau-cu-1") is None
    assert authenticate(url, "motcua2", "Mat-khau-moi-2") is not None
    with pytest.raises(AccountError):
        set_password(url, "motcua2", "short")
    with pytest.raises(AccountError):
        set_password(url, "nobody", "Mat-khau-moi-2")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "citizen"}, "role"),
        ({"role": "official"}, "province"),
        ({"role": "official", "province": "atlantis"}, "province"),
        ({"role": "admin", "password": "short"}, "password"),
        ({"role": "admin", "username": "a b"}, "username"),
    ],
)
def test_create_validates(url: str, kwargs: dict, message: str) -> None:
    args = {"username": "someone", "password": "Mat-khau-123", **kwargs}
    with pytest.raises(AccountError, match=message):
        create_account(url, **args)


def test_duplicate_username(url: str) -> None:
    create_account(url, "trung", "Mat-khau-123", "admin")
    with pytest.raises(AccountError, match="exists"):
        create_account(url, "TRUNG", "Mat-khau-456", "admin")


def test_demo_accounts_defaults_and_idempotent(url: str) -> None:
    assert ensure_demo_accounts(url, env={}) == ["canbo.hagiang", "quantri", "motcua"]
    assert ensure_demo_accounts(url, env={}) == []
    official = authenticate(url, "canbo.hagiang", "DemoHaGiang@2025")
    assert official is not None
    assert (official.role, official.province) == ("official", "ha-giang")
    assert authenticate(url, "quantri", "DemoQuanTri@2025").role == "admin"
    assert authenticate(url, "motcua", "DemoMotCua@2025").role == "one_stop_staff"


def test_demo_accounts_from_env(url: str) -> None:
    env = {"TROLY_DEMO_ADMIN_USER": "admin.demo", "TROLY_DEMO_ADMIN_PASSWORD": "Khac-Mat-Khau-9"}
    created = ensure_demo_accounts(url, env=env)
    assert "admin.demo" in created and "quantri" not in created
    assert authenticate(url, "admin.demo", "Khac-Mat-Khau-9") is not None
    # an existing account keeps its password when the environment changes
    env["TROLY_DEMO_ADMIN_PASSWORD"] = "Doi-Mat-Khau-10"
    ensure_demo_accounts(url, env=env)
    assert authenticate(url, "admin.demo", "Khac-Mat-Khau-9") is not None
    assert get_account(url, "admin.demo").full_name


def test_audit_masks_pii_and_redacts_secrets(url: str) -> None:
    audit.record(
        url,
        "0912345678",
        None,
        "login_failure",
        {"note": "gọi 0912345678", "password": "Mat-khau-123", "nested": {"api_token": "abc"}},
        ip="10.0.0.1",
        request_id="req1",
    )
    audit.record(url, "quantri", "admin", "login_success", {"province": None})
    entries = audit.list_entries(url)
    assert [e.action for e in entries] == ["login_success", "login_failure"]
    failure = entries[1]
    dumped = json.dumps(failure.detail, ensure_ascii=False) + failure.actor
    assert "0912345678" not in dumped
    assert "Mat-khau-123" not in dumped and "abc" not in dumped
    assert failure.detail["password"] == "***"
    assert (failure.ip, failure.request_id) == ("10.0.0.1", "req1")
    assert [e.actor for e in audit.list_entries(url, actor="quantri")] == ["quantri"]
    assert len(audit.list_entries(url, action="login_failure")) == 1
