"""/api/curation: staff draft a card from an unanswered question, an admin publishes it, the
draft says when it is live; roles, conflicts and a failed publication (folder restored)."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.auth import issue_access_token
from core.access.accounts import create_account, get_account
from core.access.audit import list_entries
from curation import publishing
from curation.gaps import list_gaps, record_gap
from tests.channels.conftest import make_settings
from tests.curation.test_card_text import GOOD


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    settings = make_settings(demo_accounts=False)
    syncs: list[str | None] = []

    async def fake_sync(timeout: float = 1.0) -> str | None:  # the real one runs in e2e
        return syncs.pop(0) if syncs else None

    monkeypatch.setattr(publishing, "run_sync", fake_sync)
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    client.__enter__()

    def headers(role: str, name: str) -> dict[str, str]:
        if get_account(settings.database.audit_url, name) is None:
            create_account(settings.database.audit_url, name, "mat-khau-thu-nghiem-1", role,
                           province="ha-giang" if role == "official" else None)
        return {"Authorization": f"Bearer {issue_access_token(settings, name, role, None)}"}

    yield client, settings, headers, syncs
    client.__exit__(None, None, None)


def _wait_until_not_publishing(client, draft_id: int, headers) -> dict:
    for _ in range(100):
        draft = client.get(f"/api/curation/drafts/{draft_id}", headers=headers).json()
        if draft["status"] != "publishing":
            return draft
        time.sleep(0.05)
    raise AssertionError("still publishing")


def test_a_card_drafted_from_a_gap_is_published_and_the_gap_closed(env) -> None:
    client, settings, headers, _ = env
    url = settings.database.url
    record_gap(url, "Đăng ký nuôi chó ở đâu? số tôi 0912345678")
    staff, admin = headers("one_stop_staff", "motcua1"), headers("admin", "quantri")

    [gap] = client.get("/api/curation/gaps", headers=staff).json()["items"]
    assert "0912345678" not in gap["example"]
    start = client.get("/api/curation/start", params={"gap": gap["key"]}, headers=staff).json()
    assert start["origin_kind"] == "gap" and "nuôi chó" in start["text"]
    preview = client.post("/api/curation/preview", json={"text": start["text"]}, headers=staff)
    assert preview.json()["problems"]  # the template is not a card yet

    created = client.post("/api/curation/drafts", headers=staff,
                          json={"text": GOOD, "origin_kind": "gap", "origin": gap["key"]})
    assert created.status_code == 201 and created.json()["preview"]["problems"] == []
    draft_id = created.json()["id"]
    assert client.post(f"/api/curation/drafts/{draft_id}/publish",
                       headers=staff).status_code == 403  # staff draft, admins publish

    published = client.post(f"/api/curation/drafts/{draft_id}/publish", headers=admin)
    assert published.status_code == 202 and published.json()["status"] == "publishing"
    draft = _wait_until_not_publishing(client, draft_id, admin)
    assert draft["status"] == "published" and draft["published_by"] == "quantri"
    card = settings.knowledge.published_cards_dir / "residence" / "staff-dog-registration.md"
    assert card.read_text(encoding="utf-8") == GOOD
    assert list_gaps(url) == []  # the question it answers is closed
    assert client.put(f"/api/curation/drafts/{draft_id}", headers=staff,
                      json={"text": GOOD}).status_code == 409  # published: not editable
    actions = [e.action for e in list_entries(settings.database.audit_url)]
    assert {"card.draft", "card.publish"} <= set(actions)


def test_a_failed_publication_restores_the_folder_and_can_be_retried(env) -> None:
    client, settings, headers, syncs = env
    admin = headers("admin", "quantri")
    draft_id = client.post("/api/curation/drafts", headers=admin,
                           json={"text": GOOD}).json()["id"]
    syncs.append("đồng bộ kho kiến thức không thành công: hết bộ nhớ")
    client.post(f"/api/curation/drafts/{draft_id}/publish", headers=admin)
    draft = _wait_until_not_publishing(client, draft_id, admin)
    assert draft["status"] == "failed" and "hết bộ nhớ" in draft["problem"]
    assert not any(settings.knowledge.published_cards_dir.rglob("*.md"))
    client.post(f"/api/curation/drafts/{draft_id}/publish", headers=admin)
    assert _wait_until_not_publishing(client, draft_id, admin)["status"] == "published"


def test_roles_ownership_and_conflicts(env) -> None:
    client, _, headers, _ = env
    staff, other = headers("one_stop_staff", "motcua1"), headers("one_stop_staff", "motcua2")
    official, admin = headers("official", "canbo"), headers("admin", "quantri")
    assert client.get("/api/curation/gaps").status_code == 401
    assert client.get("/api/curation/gaps", headers=official).status_code == 403
    draft_id = client.post("/api/curation/drafts", headers=staff,
                           json={"text": GOOD}).json()["id"]
    assert client.put(f"/api/curation/drafts/{draft_id}", headers=other,
                      json={"text": GOOD}).status_code == 403
    assert client.put(f"/api/curation/drafts/{draft_id}", headers=admin,
                      json={"text": GOOD}).status_code == 200

    broken = client.post("/api/curation/drafts", headers=staff,
                         json={"text": GOOD.replace("sources:", "nguon:")}).json()["id"]
    refused = client.post(f"/api/curation/drafts/{broken}/publish", headers=admin)
    assert refused.status_code == 422 and "nguồn" in refused.json()["error"]["message"]

    clash = GOOD.replace("id: staff-dog-registration", "id: vneid-activate")
    clash_id = client.post("/api/curation/drafts", headers=staff,
                           json={"text": clash}).json()["id"]
    assert client.post(f"/api/curation/drafts/{clash_id}/publish",
                       headers=admin).status_code == 409  # a new card may not take an id

    assert client.get("/api/curation/start", params={"card": "card:nope"},
                      headers=staff).status_code == 404
    start = client.get("/api/curation/start", params={"card": "card:vneid-activate"},
                       headers=staff).json()
    assert start["origin_kind"] == "wrong" and "id: vneid-activate" in start["text"]
    assert client.post("/api/curation/drafts", headers=staff,
                       json={"text": ""}).status_code == 422
