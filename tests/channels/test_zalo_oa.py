"""Zalo OA webhook through the gateway: a real fake OA API on loopback, Rasa behind an httpx
MockTransport (the same FakeRasa as the Bot channel's tests)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from channels.app import create_app
from channels.zalo.render import CHOICE_HINT
from channels.zalo.service import APOLOGY, IMAGE_REPLY, STICKER_REPLY
from channels.zalo_oa.service import FILE_REPLY, LOCATION_REPLY
from oa_tokens import TokenCipher, TokenPair, generate_key, load_tokens, save_tokens
from privacy.notice import first_contact
from tests.channels.conftest import make_settings
from tests.channels.fake_zalo_oa import APP_ID, OA_SECRET_KEY, FakeZaloOA, signed_event
from tests.channels.test_zalo import MENU, FakeRasa

USER = "8400123456789012345"
KEY = generate_key()


class OAGateway:
    """The gateway app with the OA channel on; ``post`` delivers and waits for the work."""

    def __init__(self, client: TestClient, database_url: str) -> None:
        self.client = client
        self.database_url = database_url

    def post(self, raw: bytes, headers: dict[str, str]) -> httpx.Response:
        response = self.client.post("/webhooks/zalo-oa", content=raw, headers=headers)
        service = self.client.app.state.zalo_oa
        if service is not None:
            self.client.portal.call(service.drain)
        return response

    def stored(self) -> TokenPair | None:
        return load_tokens(self.database_url, APP_ID, TokenCipher(KEY))


@contextmanager
def oa_gateway(oa: FakeZaloOA, rasa: FakeRasa, tmp_path: Path, *,
               access_expires_in: float = 90000, notice_shown: bool = True,
               **overrides: Any) -> Iterator[OAGateway]:
    """``notice_shown``: USER's conversation already had the privacy notice, so the tests
    that count replies count the assistant's only."""
    url = f"sqlite:///{tmp_path / 'oa.db'}"
    if notice_shown:
        first_contact(url, f"zalooa:{USER}", "zalooa")
    access, refresh = oa.issue_tokens()
    now = dt.datetime.now(dt.timezone.utc)
    save_tokens(url, APP_ID, TokenPair(access, refresh,
                                       now + dt.timedelta(seconds=access_expires_in)),
                TokenCipher(KEY))
    fields = dict(
        database_url=url,
        rasa_url="http://rasa.test",
        action_server_url="http://actions.test",
        zalo_oa_app_id=APP_ID,
        zalo_oa_secret_key=OA_SECRET_KEY,
        zalo_oa_app_secret=oa.app_secret,
        zalo_oa_token_key=KEY,
        zalo_oa_api_base_url=oa.url,
        zalo_oa_oauth_base_url=oa.url,
    )
    fields.update(overrides)
    app = create_app(make_settings(**fields), transport=httpx.MockTransport(rasa))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield OAGateway(client, url)


@pytest.fixture
def oa() -> Iterator[FakeZaloOA]:
    with FakeZaloOA() as server:
        yield server


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def gateway(oa: FakeZaloOA, rasa: FakeRasa, tmp_path: Path) -> Iterator[OAGateway]:
    with oa_gateway(oa, rasa, tmp_path) as gw:
        yield gw


# --------------------------------------------------------------------------- delivery


def test_a_new_conversation_starts_with_the_privacy_notice_and_can_be_deleted(
    oa: FakeZaloOA, rasa: FakeRasa, tmp_path: Path
) -> None:
    with oa_gateway(oa, rasa, tmp_path, notice_shown=False) as gateway:
        gateway.post(*signed_event(USER, "cach kich hoat vneid"))
        assert "xóa dữ liệu của tôi" in oa.texts(USER)[0]
        assert oa.texts(USER)[1] == "echo: cach kich hoat vneid"
        gateway.post(*signed_event(USER, "xóa dữ liệu của tôi"))
        assert "1. Xác nhận xóa" in oa.texts(USER)[-1]
        gateway.post(*signed_event(USER, "1"))
        assert "Đã xóa toàn bộ dữ liệu" in oa.texts(USER)[-1]
        assert rasa.texts(f"zalooa:{USER}") == ["cach kich hoat vneid"]  # never reached Rasa


def test_signed_text_is_answered_through_the_cs_message_api(
    gateway: OAGateway, oa: FakeZaloOA, rasa: FakeRasa
) -> None:
    response = gateway.post(*signed_event(USER, "cach kich hoat vneid"))
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert rasa.texts(f"zalooa:{USER}") == ["cach kich hoat vneid"]  # no greeting first
    assert oa.texts(USER) == ["echo: cach kich hoat vneid"]
    send = oa.sends(USER)[0]
    assert send.headers["access_token"].startswith("AT-")
    assert send.body == {"recipient": {"user_id": USER},
                         "message": {"text": "echo: cach kich hoat vneid"}}


@pytest.mark.parametrize("case", ["missing", "wrong-secret", "tampered", "other-app"])
def test_forged_signature_is_refused_and_nothing_is_sent(
    gateway: OAGateway, oa: FakeZaloOA, rasa: FakeRasa, case: str
) -> None:
    raw, headers = signed_event(USER, "cach kich hoat vneid",
                                secret="not-the-oa-secret" if case == "wrong-secret"
                                else OA_SECRET_KEY,
                                app_id="111" if case == "other-app" else APP_ID)
    if case == "missing":
        headers.pop("X-ZEvent-Signature")
    if case == "tampered":
        raw = raw.replace(b"vneid", b"VNeID")
    response = gateway.post(raw, headers)
    assert response.status_code == 403
    assert response.json()["error"]["message"].startswith("Yêu cầu bị từ chối")
    assert rasa.calls == [] and oa.calls == []


def test_a_redelivered_event_is_answered_once(
    gateway: OAGateway, oa: FakeZaloOA, rasa: FakeRasa
) -> None:
    raw, headers = signed_event(USER, "cach kich hoat vneid", msg_id="msg-1")
    assert gateway.post(raw, headers).status_code == 200
    assert gateway.post(raw, headers).status_code == 200
    again, again_headers = signed_event(USER, "cach kich hoat vneid", msg_id="msg-1")
    assert gateway.post(again, again_headers).status_code == 200
    assert len(oa.texts(USER)) == 1
    assert len(rasa.calls) == 1


@pytest.mark.parametrize("offset_ms", [-6 * 60_000, 6 * 60_000], ids=["old", "ahead"])
def test_a_stale_event_is_acknowledged_but_not_answered(
    gateway: OAGateway, oa: FakeZaloOA, rasa: FakeRasa, offset_ms: int
) -> None:
    stamp = int(time.time() * 1000) + offset_ms
    response = gateway.post(*signed_event(USER, "cach kich hoat vneid", timestamp_ms=stamp))
    assert response.status_code == 200
    assert rasa.calls == [] and oa.calls == []


def test_expired_access_token_is_refreshed_and_the_reply_sent(
    gateway: OAGateway, oa: FakeZaloOA
) -> None:
    before = gateway.stored()
    oa.expire_access_token()
    gateway.post(*signed_event(USER, "cach kich hoat vneid"))
    sends = oa.sends(USER)
    assert [c.answer["error"] for c in sends] == [-216, 0]
    refreshes = oa.calls_to("/v4/oa/access_token")
    assert len(refreshes) == 1
    assert refreshes[0].headers["secret_key"] == oa.app_secret
    assert refreshes[0].body == {"refresh_token": before.refresh_token, "app_id": APP_ID,
                                 "grant_type": "refresh_token"}
    after = gateway.stored()
    assert after.access_token == sends[1].headers["access_token"] != before.access_token
    assert after.refresh_token != before.refresh_token  # the spent one was replaced
    assert after.access_expires_at > dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=24)
    gateway.post(*signed_event(USER, "cau hoi tiep"))
    assert len(oa.calls_to("/v4/oa/access_token")) == 1  # the new token is used from now on


def test_token_about_to_expire_is_refreshed_before_sending(
    oa: FakeZaloOA, rasa: FakeRasa, tmp_path: Path
) -> None:
    with oa_gateway(oa, rasa, tmp_path, access_expires_in=60) as gateway:
        gateway.post(*signed_event(USER, "cach kich hoat vneid"))
    assert [c.path for c in oa.calls] == ["/v4/oa/access_token", "/v3.0/oa/message/cs"]
    assert oa.sends(USER)[0].ok


def test_tokens_are_encrypted_in_the_database(gateway: OAGateway, oa: FakeZaloOA) -> None:
    oa.expire_access_token()
    gateway.post(*signed_event(USER, "cach kich hoat vneid"))
    pair = gateway.stored()
    engine = create_engine(gateway.database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM zalo_oa_tokens")).one()
    engine.dispose()
    raw = json.dumps([str(v) for v in row])
    assert pair.access_token not in raw and pair.refresh_token not in raw
    # no token ever issued, the expired pair included, is stored as it was given (a bare "AT-"
    # search failed about once in a few hundred runs: Fernet's base64 can contain it)
    assert len(oa.issued) >= 4 and not any(token in raw for token in oa.issued)
    assert not any(str(v).startswith(("AT-", "RT-")) for v in row)


@pytest.mark.parametrize(
    ("event_name", "reply"),
    [("user_send_image", IMAGE_REPLY), ("user_send_sticker", STICKER_REPLY),
     ("user_send_file", FILE_REPLY), ("user_send_location", LOCATION_REPLY)],
)
def test_attachments_get_a_polite_text_reply(
    gateway: OAGateway, oa: FakeZaloOA, rasa: FakeRasa, event_name: str, reply: str
) -> None:
    message = {"msg_id": "att-1", "attachments": [{"type": event_name[10:], "payload": {}}]}
    gateway.post(*signed_event(USER, None, event_name=event_name, message=message))
    assert oa.texts(USER) == [reply]
    assert rasa.calls == []


@pytest.mark.parametrize("event_name", ["oa_send_text", "follow", "user_seen_message"])
def test_other_events_are_acknowledged_and_ignored(
    gateway: OAGateway, oa: FakeZaloOA, rasa: FakeRasa, event_name: str
) -> None:
    response = gateway.post(*signed_event(USER, "xin chào", event_name=event_name))
    assert response.status_code == 200
    assert oa.calls == [] and rasa.calls == []


def test_buttons_become_a_numbered_list_and_a_number_chooses(
    oa: FakeZaloOA, tmp_path: Path
) -> None:
    rasa = FakeRasa(lambda t: [{"text": "Anh/chị hỏi về mục nào?", "buttons": MENU}]
                    if t == "chu de" else [{"text": f"chọn: {t}"}])
    with oa_gateway(oa, rasa, tmp_path) as gateway:
        gateway.post(*signed_event(USER, "chu de"))
        gateway.post(*signed_event(USER, "2"))
    menu, chosen = oa.texts(USER)
    assert "1. VNeID\n2. Dịch vụ công" in menu and menu.endswith(CHOICE_HINT)
    assert chosen == 'chọn: /choose_topic{"topic":"dvc"}'


def test_rasa_down_gets_the_apology(gateway: OAGateway, oa: FakeZaloOA,
                                    rasa: FakeRasa) -> None:
    rasa.down = True
    gateway.post(*signed_event(USER, "cach kich hoat vneid"))
    assert oa.texts(USER) == [APOLOGY]


def test_a_message_older_than_the_reply_window_is_not_answered(
    oa: FakeZaloOA, rasa: FakeRasa, tmp_path: Path
) -> None:
    # the age check off, as if Zalo had delivered a 49-hour-old message
    with oa_gateway(oa, rasa, tmp_path, zalo_oa_max_event_age_seconds=0) as gateway:
        old = int((time.time() - 49 * 3600) * 1000)
        assert gateway.post(*signed_event(USER, "cau hoi cu", timestamp_ms=old)).status_code \
            == 200
    assert oa.calls == [] and rasa.calls == []


def test_a_send_zalo_refuses_is_not_retried(gateway: OAGateway, oa: FakeZaloOA) -> None:
    oa.send_errors[USER] = -230
    gateway.post(*signed_event(USER, "cach kich hoat vneid"))
    assert [c.answer["error"] for c in oa.sends(USER)] == [-230]
    assert oa.calls_to("/v4/oa/access_token") == []


# --------------------------------------------------------------------------- bad input


def test_unconfigured_channel_answers_503(oa: FakeZaloOA, rasa: FakeRasa,
                                          tmp_path: Path) -> None:
    with oa_gateway(oa, rasa, tmp_path, zalo_oa_secret_key="") as gateway:
        response = gateway.post(*signed_event(USER))
    assert response.status_code == 503
    body = response.json()["error"]
    assert body["code"] == "zalo_oa_not_configured"
    assert "TROLY_ZALO_OA_SECRET_KEY" in body["message_en"]


def test_unusable_token_key_leaves_the_channel_off_not_the_gateway(
    oa: FakeZaloOA, rasa: FakeRasa, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, "channels.zalo_oa"), \
            oa_gateway(oa, rasa, tmp_path, zalo_oa_token_key="not-a-key") as gateway:
        assert gateway.client.get("/healthz").status_code in (200, 503)
        assert gateway.post(*signed_event(USER)).status_code == 503
    assert "TROLY_ZALO_OA_TOKEN_KEY" in caplog.text


def test_signed_body_that_is_not_an_event_is_a_400(gateway: OAGateway) -> None:
    from channels.zalo_oa.signature import signature_header

    stamp = str(int(time.time() * 1000))
    raw = json.dumps({"timestamp": stamp, "hello": 1}).encode()
    headers = {"X-ZEvent-Signature": signature_header(APP_ID, raw, stamp, OA_SECRET_KEY),
               "Content-Type": "application/json"}
    response = gateway.post(raw, headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_event"


def test_unsigned_garbage_is_refused_before_parsing(gateway: OAGateway) -> None:
    assert gateway.post(b"not json", {"Content-Type": "application/json"}).status_code == 403


def test_signed_garbage_is_a_400(gateway: OAGateway) -> None:
    from channels.zalo_oa.signature import signature_header

    stamp = str(int(time.time() * 1000))
    raw = b"not json"
    headers = {"X-ZEvent-Signature": signature_header(APP_ID, raw, stamp, OA_SECRET_KEY),
               "X-ZEvent-Timestamp": stamp}
    response = gateway.post(raw, headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_logs_hold_no_phone_or_id_number_nor_token(
    gateway: OAGateway, oa: FakeZaloOA, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        oa.expire_access_token()
        gateway.post(*signed_event(USER, "số của tôi 0912345678, CCCD 001099012345"))
    assert "0912345678" not in caplog.text and "001099012345" not in caplog.text
    pair = gateway.stored()
    assert pair.access_token not in caplog.text and pair.refresh_token not in caplog.text
