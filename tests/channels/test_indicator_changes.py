"""Officials' data changes over HTTP: own province only, admins all, all-or-nothing, audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.auth import issue_access_token
from core.access.accounts import create_account, get_account
from core.access.audit import list_entries
from indicators import latest
from indicators.importer import COLUMNS
from indicators.observations import count_observations
from tests.channels.conftest import make_settings

HEADER = ",".join(COLUMNS)
HA_GIANG_ROW = "Hà Giang,online_services_rate,97.5,%,,,,,,2024-06-30,,Báo cáo thử,,,,"
HA_NOI_ROW = "Hà Nội,online_services_rate,99,%,,,,,,2024-06-30,,Báo cáo thử,,,,"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    settings = make_settings(rasa_url="http://rasa.test", action_server_url="http://actions.test",
                               demo_accounts=False)
    client = TestClient(create_app(settings))
    figures_url = f"sqlite:///{tmp_path / 'troly06.db'}"

    def headers(role: str, province: str | None, name: str | None = None) -> dict[str, str]:
        username = f"{name or role}.test"
        if get_account(settings.database.audit_url, username) is None:
            create_account(settings.database.audit_url, username, "mat-khau-thu-nghiem-1",
                           role, province=province)
        token = issue_access_token(settings, username, role, province)
        return {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}

    return client, figures_url, settings.database.audit_url, headers


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_official_imports_own_province_as_proposed_then_another_approves(env):
    client, url, audit_url, headers = env
    official = headers("official", "ha-giang")
    colleague = headers("official", "ha-giang", name="colleague")
    response = client.post("/api/indicators/import", content=csv(HA_GIANG_ROW), headers=official)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "proposed" and body["created"] == 1
    assert latest(url, "Hà Giang", "online_services_rate") is None  # not approved yet
    pending = client.get("/api/indicators/proposed", headers=official).json()["items"]
    assert [p["id"] for p in pending] == body["ids"]
    # four eyes: not by the official who imported it, nor in the import itself
    own = client.post(f"/api/indicators/{body['ids'][0]}/approve", headers=official)
    assert own.status_code == 403 and "cán bộ khác" in own.json()["error"]["message"]
    at_once = client.post("/api/indicators/import?approve=true", content=csv(HA_GIANG_ROW),
                          headers=official)
    assert at_once.status_code == 403
    approved = client.post(f"/api/indicators/{body['ids'][0]}/approve", headers=colleague)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert latest(url, "Hà Giang", "online_services_rate").value == 97.5
    actions = [e.action for e in list_entries(audit_url, limit=5, actor="colleague.test")]
    assert actions[:1] == ["indicator_approved"]
    # another province's official does not see Hà Giang's drafts
    client.post("/api/indicators/import", content=csv(HA_GIANG_ROW.replace("97.5", "98")),
                headers=official)
    other = headers("official", "ha-noi", name="hanoi")
    assert client.get("/api/indicators/proposed", headers=other).json()["items"] == []
    assert client.get("/api/indicators/proposed", headers=colleague).json()["items"]


def test_official_may_not_write_another_province(env):
    client, url, audit_url, headers = env
    official = headers("official", "ha-giang")
    response = client.post("/api/indicators/import", content=csv(HA_GIANG_ROW, HA_NOI_ROW),
                           headers=official)
    assert response.status_code == 403
    assert "Hà Nội" in response.json()["error"]["message"]
    assert count_observations(url) == 0  # nothing partial
    admin = headers("admin", None)
    response = client.post("/api/indicators/import?approve=true",
                           content=csv(HA_NOI_ROW), headers=admin)
    assert response.status_code == 200 and response.json()["status"] == "approved"
    # the official cannot reject Hà Nội's figure either
    figure_id = response.json()["ids"][0]
    refused = client.post(f"/api/indicators/{figure_id}/reject", headers=official)
    assert refused.status_code == 403
    assert list_entries(audit_url, limit=1)[0].action == "indicator_status_refused"


def test_invalid_file_is_422_by_row_and_stores_nothing(env):
    client, url, _, headers = env
    bad = "Atlantis,online_services_rate,abc,%,,,,,,31/02/2024,,Báo cáo,,,,"
    response = client.post("/api/indicators/import", content=csv(HA_GIANG_ROW, bad),
                           headers=headers("admin", None))
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "dòng 3" in message and "chưa lưu dòng nào" in message
    assert count_observations(url) == 0


@pytest.mark.parametrize(
    ("role", "body", "content_type", "status"),
    [
        (None, b"x", "text/csv", 401),
        ("one_stop_staff", None, "text/csv", 403),
        ("admin", b"", "text/csv", 422),
        ("admin", b"\x00\x01binary", "application/octet-stream", 422),
        ("admin", b"a" * (5 * 1024 * 1024 + 1), "text/csv", 413),
    ],
)
def test_bad_requests_get_clear_errors(env, role, body, content_type, status):
    client, url, _, headers = env
    h = headers(role, None) if role else {}
    h["Content-Type"] = content_type
    content = csv(HA_GIANG_ROW) if body is None else body
    response = client.post("/api/indicators/import", content=content, headers=h)
    assert response.status_code == status
    assert response.json()["error"]["message"]
    assert count_observations(url) == 0


def test_unknown_figure_is_404(env):
    client, _, _, headers = env
    response = client.post("/api/indicators/999999/approve", headers=headers("admin", None))
    assert response.status_code == 404 and "999999" in response.json()["error"]["message"]
