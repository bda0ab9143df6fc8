"""Outside dev mode: no development secrets, no demo accounts, no API docs; tokens follow
the account (a deactivated account's token stops working at once)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.auth import issue_access_token
from core.access.accounts import create_account, ensure_demo_accounts, get_account, set_active
from core.config import InsecureConfiguration
from tests.channels.conftest import make_settings

STRONG = {
    "jwt_secret": "j" * 40,
    "claim_secret": "c" * 40,
    "rasa_token": "r" * 40,
}


def test_development_secrets_are_refused_outside_dev_mode() -> None:
    with pytest.raises(InsecureConfiguration, match="TROLY_JWT_SECRET"):
        create_app(make_settings(dev_mode=False))
    with pytest.raises(InsecureConfiguration, match="shorter than 32 bytes"):
        create_app(make_settings(dev_mode=False, **{**STRONG, "jwt_secret": "short"}))
    with pytest.raises(InsecureConfiguration, match="must differ"):
        create_app(make_settings(dev_mode=False, **{**STRONG, "claim_secret": "j" * 40}))
    assert create_app(make_settings(dev_mode=False, **STRONG))  # real secrets: starts


def test_api_docs_only_in_dev_mode_or_when_enabled() -> None:
    production = TestClient(create_app(make_settings(dev_mode=False, **STRONG)))
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert production.get(path).status_code == 404, path
    enabled = TestClient(create_app(make_settings(dev_mode=False, api_docs=True, **STRONG)))
    assert enabled.get("/openapi.json").status_code == 200
    assert TestClient(create_app(make_settings())).get("/docs").status_code == 200


def test_demo_accounts_are_disabled_when_dev_mode_is_off(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    monkeypatch.setenv("TROLY_ACCOUNTS_DATABASE_URL", url)
    ensure_demo_accounts(url)
    assert get_account(url, "quantri").active
    with TestClient(create_app(make_settings(dev_mode=False, **STRONG))):
        pass  # the lifespan runs at start-up
    assert not get_account(url, "quantri").active
    assert not get_account(url, "canbo.hagiang").active


def test_a_deactivated_accounts_token_stops_working_at_once(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    monkeypatch.setenv("TROLY_ACCOUNTS_DATABASE_URL", url)
    settings = make_settings(demo_accounts=False)
    create_account(url, "canbo.test", "mat-khau-thu-nghiem-1", "official", province="ha-giang")
    token = issue_access_token(settings, "canbo.test", "official", "ha-giang")
    client = TestClient(create_app(settings))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/indicators/proposed", headers=headers).status_code == 200
    set_active(url, "canbo.test", False)
    refused = client.get("/api/indicators/proposed", headers=headers)
    assert refused.status_code == 401 and "đăng nhập" in refused.json()["error"]["message"]
    ghost = issue_access_token(settings, "khong.ton.tai", "admin", None)  # forged-but-signed
    assert client.get("/api/indicators/proposed",
                      headers={"Authorization": f"Bearer {ghost}"}).status_code == 401
