"""Staff login, bearer tokens on /api/chat and the identity claim forwarded to Rasa."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.auth import TOKEN_AUDIENCE, issue_access_token
from channels.rasa_client import RasaClient
from core.access import audit
from core.access.claims import ClaimError, verify_claim
from core.config import Settings
from tests.channels.conftest import make_settings

JWT_SECRET = "test-jwt-secret-0123456789abcdef-xyz"
CLAIM_SECRET = "test-claim-secret-0123456789abcdef-xyz"
OFFICIAL = {"username": "canbo.hagiang", "password": "DemoHaGiang@2025"}


class FakeRasa:
    """Records every webhook body and answers with one text message."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": "ok"}])


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast argon2 configuration for tests (production keeps argon2-cffi's defaults)."""
    from argon2 import PasswordHasher

    import core.access.accounts as accounts

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "password_hasher", lambda: hasher)
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: hasher.hash("dummy-password"))


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("OFFICIAL", "ADMIN", "STAFF"):
        monkeypatch.delenv(f"TROLY_DEMO_{name}_USER", raising=False)
        monkeypatch.delenv(f"TROLY_DEMO_{name}_PASSWORD", raising=False)
    return make_settings(
        rasa_url="http://rasa.test",
        action_server_url="http://actions.test",
        jwt_secret=JWT_SECRET,
        claim_secret=CLAIM_SECRET,
        accounts_database_url=f"sqlite:///{tmp_path / 'accounts.db'}",
    )


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(settings: Settings, rasa: FakeRasa):
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        http = httpx.AsyncClient(transport=httpx.MockTransport(rasa))
        app.state.rasa = RasaClient(
            http, settings.gateway.rasa_url, settings.secrets.rasa_token, 5.0
        )
        yield test_client


def login(client: TestClient, **body) -> httpx.Response:
    return client.post("/api/auth/login", json=body or OFFICIAL)


def test_login_returns_a_short_lived_jwt(client: TestClient) -> None:
    before = int(time.time())
    response = login(client)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert (body["role"], body["province"]) == ("official", "ha-giang")
    claims = jwt.decode(
        body["access_token"], JWT_SECRET, algorithms=["HS256"], audience=TOKEN_AUDIENCE
    )
    assert (claims["sub"], claims["role"], claims["province"]) == (
        "canbo.hagiang",
        "official",
        "ha-giang",
    )
    assert before + 900 <= claims["exp"] <= int(time.time()) + 900
    assert claims["exp"] - claims["iat"] == 900
    # the login token is not signed with the claim secret
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            body["access_token"], CLAIM_SECRET, algorithms=["HS256"], audience=TOKEN_AUDIENCE
        )


def test_expiry_follows_the_setting(settings: Settings, rasa: FakeRasa) -> None:
    settings.gateway.jwt_expires_seconds = 120
    app = create_app(settings)
    with TestClient(app) as test_client:
        body = login(test_client).json()
    claims = jwt.decode(
        body["access_token"], JWT_SECRET, algorithms=["HS256"], audience="troly06-gateway"
    )
    assert body["expires_in"] == 120 and claims["exp"] - claims["iat"] == 120


def test_other_demo_roles(client: TestClient) -> None:
    admin = login(client, username="quantri", password="DemoQuanTri@2025").json()
    staff = login(client, username="motcua", password="DemoMotCua@2025").json()
    assert (admin["role"], admin["province"]) == ("admin", None)
    assert (staff["role"], staff["province"]) == ("one_stop_staff", None)


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    wrong = login(client, username="canbo.hagiang", password="sai-mat-khau")
    unknown = login(client, username="khong.ton.tai", password="DemoHaGiang@2025")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]
    assert "không đúng" in wrong.json()["error"]["message"]
    assert "access_token" not in wrong.text


def test_malformed_login_body(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": "x"})
    assert response.status_code == 422
    assert "username" in response.json()["error"]["message"]
    assert client.post("/api/auth/login", content=b"not json").status_code == 422


def test_login_rate_limit(client: TestClient) -> None:
    codes = [
        login(client, username="canbo.hagiang", password=f"sai-{i}").status_code for i in range(5)
    ]
    assert codes == [401] * 5
    blocked = login(client)  # even the right password waits
    assert blocked.status_code == 429
    assert "Vui lòng đợi" in blocked.json()["error"]["message"]
    assert int(blocked.headers["Retry-After"]) > 0
    # another username from the same client is not blocked
    assert login(client, username="quantri", password="DemoQuanTri@2025").status_code == 200


def test_audit_entries_without_passwords(client: TestClient, settings: Settings) -> None:
    login(client)
    login(client, username="canbo.hagiang", password="Mat-Khau-Sai-0912345678")
    entries = audit.list_entries(settings.database.audit_url)
    actions = [e.action for e in entries]
    assert actions[:2] == ["login_failure", "login_success"]
    success = entries[1]
    assert (success.actor, success.role, success.detail["province"]) == (
        "canbo.hagiang",
        "official",
        "ha-giang",
    )
    assert success.ip and success.request_id
    dump = json.dumps([e.__dict__ for e in entries], default=str)
    assert "DemoHaGiang@2025" not in dump and "Mat-Khau-Sai" not in dump


def test_chat_with_token_sends_a_verifiable_claim(client: TestClient, rasa: FakeRasa) -> None:
    token = login(client).json()["access_token"]
    response = client.post(
        "/api/chat",
        json={"sender_id": "web-1", "message": "chỉ tiêu của tỉnh"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    metadata = rasa.bodies[-1]["metadata"]
    assert set(metadata) == {"identity_claim"}
    claim = verify_claim(CLAIM_SECRET, metadata["identity_claim"])
    assert (claim.username, claim.role, claim.province, claim.sender) == (
        "canbo.hagiang",
        "official",
        "ha-giang",
        "web-1",
    )
    # the claim cannot be verified with the login secret
    with pytest.raises(ClaimError):
        verify_claim(JWT_SECRET, metadata["identity_claim"])


def test_chat_without_token_is_a_citizen(client: TestClient, rasa: FakeRasa) -> None:
    response = client.post("/api/chat", json={"sender_id": "web-2", "message": "xin chào"})
    assert response.status_code == 200
    assert "metadata" not in rasa.bodies[-1]


@pytest.mark.parametrize("kind", ["expired", "forged", "garbage", "basic"])
def test_chat_with_a_bad_token_is_401(
    kind: str, client: TestClient, rasa: FakeRasa, settings: Settings
) -> None:
    if kind == "expired":
        header = "Bearer " + issue_access_token(
            settings, "canbo.hagiang", "official", "ha-giang", now=time.time() - 3600
        )
    elif kind == "forged":
        forged = settings.model_copy(update={"secrets": settings.secrets.model_copy(
            update={"jwt_secret": "attacker-secret-0123456789abcdef"})})
        header = "Bearer " + issue_access_token(forged, "quantri", "admin", None)
    elif kind == "garbage":
        header = "Bearer not.a.jwt"
    else:
        header = "Basic cXVhbnRyaTpEZW1v"
    response = client.post(
        "/api/chat",
        json={"sender_id": "web-3", "message": "xin chào"},
        headers={"Authorization": header},
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "invalid_token"
    assert "đăng nhập lại" in error["message"]
    if kind == "expired":
        assert "hết hạn" in error["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert rasa.bodies == []


def test_claim_token_is_not_a_login_token(client: TestClient, rasa: FakeRasa) -> None:
    from core.access.claims import sign_claim

    claim = sign_claim(JWT_SECRET, "quantri", "admin", None)
    response = client.post(
        "/api/chat",
        json={"sender_id": "web-4", "message": "xin chào"},
        headers={"Authorization": f"Bearer {claim}"},
    )
    assert response.status_code == 401


def test_demo_account_failure_does_not_stop_the_gateway(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    import core.access.accounts as accounts

    def boom(url: str) -> list[str]:
        raise RuntimeError("database down")

    monkeypatch.setattr(accounts, "ensure_demo_accounts", boom)
    with TestClient(create_app(settings)) as test_client:
        assert test_client.get("/no-such-page").status_code == 404
    assert "demo accounts" in caplog.text


def test_logging_out_ends_the_token_at_the_gateway(client: TestClient) -> None:
    """Log-out revokes this one token at once; a new login gets a working one."""
    token = login(client).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/indicators/proposed", headers=headers).status_code == 200
    assert client.post("/api/auth/logout", headers=headers).json() == {"ok": True}
    refused = client.get("/api/indicators/proposed", headers=headers)
    assert refused.status_code == 401
    assert client.post("/api/auth/logout").status_code == 401  # no token: nothing to end
    fresh = {"Authorization": f"Bearer {login(client).json()['access_token']}"}
    assert client.get("/api/indicators/proposed", headers=fresh).status_code == 200


def test_rotating_user_names_meets_the_per_ip_limit_before_any_hash(
    settings: Settings, rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each attempt would run an argon2id hash: an IP trying many user names is stopped by its
    own limit, and the refused attempts are not written to the audit log."""
    from core.access import accounts, audit

    settings.gateway.login_rate_limit_per_ip = 3
    hashed = []
    real = accounts.authenticate
    monkeypatch.setattr(accounts, "authenticate", lambda *a: hashed.append(a[1]) or real(*a))
    with TestClient(create_app(settings)) as test_client:
        codes = [
            test_client.post("/api/auth/login",
                             json={"username": f"thu{i}", "password": "sai-mat-khau-1"}).status_code
            for i in range(6)
        ]
    assert codes == [401, 401, 401, 429, 429, 429]
    assert len(hashed) == 3
    actions = [e.action for e in audit.list_entries(settings.database.audit_url, limit=50)]
    assert "login_rate_limited" not in actions
    failures = audit.list_entries(settings.database.audit_url, limit=50, action="login_failure")
    assert failures and all(e.actor == "(unknown)" for e in failures)  # no typed user names
