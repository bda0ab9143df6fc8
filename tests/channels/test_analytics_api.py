"""/api/analytics: staff and admins see the report, an official only when the deployment serves
their province, citizens never; bad ranges are a 422 in Vietnamese; the CSV opens in Excel;
every view, export and refusal is audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.auth import issue_access_token
from channels.routers.analytics import served_provinces
from core.access.accounts import create_account, get_account
from core.access.audit import list_entries
from tests.analytics.tracker import answered, at, user, write_tracker
from tests.channels.conftest import make_settings

RANGE = {"from": "2025-07-01", "to": "2025-07-02"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    tracker = write_tracker(tmp_path / "tracker.db", [
        user("web:a", at("2025-07-01 08:00"), "lệ phí hộ chiếu", "ask_procedure"),
        *answered("web:a", at("2025-07-01 08:00:01"), "card:passport-fee"),
        user("zalo:b", at("2025-07-02 09:00"), "kích hoạt vneid", "ask_vneid"),
    ])

    clients: list[TestClient] = []

    def client_for(**fields) -> tuple[TestClient, object]:
        fields = {"tracker_database_url": tracker, "served_provinces": ["ha-giang"], **fields}
        settings = make_settings(rasa_url="http://rasa.test", demo_accounts=False, **fields)
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        clients.append(client.__enter__())
        return client, settings

    def headers(settings, role: str, name: str, province: str | None = None) -> dict[str, str]:
        if get_account(settings.database.audit_url, name) is None:
            create_account(settings.database.audit_url, name, "mat-khau-thu-nghiem-1", role,
                           province=province)
        token = issue_access_token(settings, name, role, province)
        return {"Authorization": f"Bearer {token}"}

    yield client_for, headers
    for client in clients:
        client.__exit__(None, None, None)


def test_staff_see_the_report(env) -> None:
    client_for, headers = env
    client, settings = client_for()
    reply = client.get("/api/analytics", params=RANGE,
                       headers=headers(settings, "one_stop_staff", "motcua-tk"))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["date_from"], body["date_to"]) == ("2025-07-01", "2025-07-02")
    assert body["conversations_included"] and body["notes"] == []
    assert (body["total_conversations"], body["total_messages"]) == (2, 2)
    assert body["cards"] == [{"name": "card:passport-fee", "count": 1}]
    assert {(d["day"], d["channel"], d["messages"]) for d in body["daily"] if d["messages"]} == {
        ("2025-07-01", "web", 1), ("2025-07-02", "zalo", 1)}
    entries = [e for e in list_entries(settings.database.audit_url) if e.actor == "motcua-tk"]
    assert [(e.action, e.detail) for e in entries] == [
        ("analytics.view", {"from": "2025-07-01", "to": "2025-07-02"})]


def test_officials_of_a_served_province_only(env) -> None:
    client_for, headers = env
    client, settings = client_for()
    mine = headers(settings, "official", "canbo.hg", "ha-giang")
    other = headers(settings, "official", "canbo.cb", "cao-bang")
    assert client.get("/api/analytics", params=RANGE, headers=mine).status_code == 200
    refused = client.get("/api/analytics", params=RANGE, headers=other)
    assert refused.status_code == 403
    assert "tỉnh/thành mình" in refused.json()["error"]["message"]
    assert client.get("/api/analytics/export.csv", params={**RANGE, "table": "daily"},
                      headers=other).status_code == 403
    actions = [e.action for e in list_entries(settings.database.audit_url)
               if e.actor == "canbo.cb"]
    assert actions == ["analytics.refused", "analytics.refused"]


def test_dev_mode_serves_the_demo_officials_province_when_none_is_set() -> None:
    assert served_provinces(make_settings(served_provinces=[])) == ["ha-giang"]
    assert served_provinces(make_settings(served_provinces=[], dev_mode=False)) == []
    assert served_provinces(make_settings(served_provinces=["cao-bang"])) == ["cao-bang"]


def test_citizens_get_401(env) -> None:
    client, _ = env[0]()
    reply = client.get("/api/analytics", params=RANGE)
    assert reply.status_code == 401
    assert "đăng nhập" in reply.json()["error"]["message"]
    assert client.get("/api/analytics/export.csv", params={"table": "daily"}).status_code == 401


@pytest.mark.parametrize(("params", "words"), [
    ({"from": "01/07/2025"}, "năm-tháng-ngày"),
    ({"from": "2025-02-30"}, "năm-tháng-ngày"),
    ({"from": "2025-07-02", "to": "2025-07-01"}, "sau ngày kết thúc"),
    ({"from": "2024-01-01", "to": "2025-07-01"}, "366 ngày"),
])
def test_bad_ranges_are_422_in_vietnamese(env, params, words) -> None:
    client_for, headers = env
    client, settings = client_for()
    reply = client.get("/api/analytics", params=params,
                       headers=headers(settings, "admin", "quantri-tk"))
    assert reply.status_code == 422
    assert words in reply.json()["error"]["message"]


def test_csv_export(env) -> None:
    client_for, headers = env
    client, settings = client_for()
    staff = headers(settings, "one_stop_staff", "motcua-csv")
    reply = client.get("/api/analytics/export.csv", params={**RANGE, "table": "cards"},
                       headers=staff)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert reply.headers["content-disposition"] == (
        'attachment; filename="thong-ke-cards-2025-07-01-2025-07-02.csv"')
    assert reply.content.startswith(b"\xef\xbb\xbf")
    assert reply.content.decode("utf-8-sig").splitlines() == [
        "Thẻ kiến thức / thủ tục,Số lần trả lời", "card:passport-fee,1"]
    unknown = client.get("/api/analytics/export.csv", params={**RANGE, "table": "x"},
                         headers=staff)
    assert unknown.status_code == 422 and "Không có bảng này" in unknown.json()["error"]["message"]
    entries = [(e.action, e.detail) for e in list_entries(settings.database.audit_url)
               if e.actor == "motcua-csv"]
    assert entries == [("analytics.export",
                        {"table": "cards", "from": "2025-07-01", "to": "2025-07-02"})]


def test_without_the_tracker_store_the_report_says_so(env) -> None:
    client_for, headers = env
    client, settings = client_for(tracker_database_url="")
    body = client.get("/api/analytics", params=RANGE,
                      headers=headers(settings, "admin", "quantri-nt")).json()
    assert not body["conversations_included"] and body["total_messages"] == 0
    assert "TROLY_TRACKER_DATABASE_URL" in body["notes"][0]
