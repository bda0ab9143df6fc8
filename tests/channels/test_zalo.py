"""Zalo Bot webhook: a real fake Bot API on loopback, Rasa behind an httpx MockTransport."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from zalo_bot.constants import BASE_URL

from channels.app import create_app
from channels.rasa_client import RasaClient
from channels.zalo.render import CHOICE_HINT
from channels.zalo.service import APOLOGY, IMAGE_REPLY, STICKER_REPLY, UNSUPPORTED_REPLY
from core.config import GatewaySettings
from tests.channels.conftest import make_settings
from tests.channels.fake_zalo import FakeZaloServer

SECRET = "webhook-secret-for-tests"
CHAT = "5f1a9c0d2b7e4e3a"
GREETING = "Xin chào anh/chị, em là Trợ lý 06."
MENU = [
    {"title": "VNeID", "payload": '/choose_topic{"topic":"vneid"}'},
    {"title": "Dịch vụ công", "payload": '/choose_topic{"topic":"dvc"}'},
]


class FakeRasa:
    """Rasa's REST webhook: records what it receives, answers with ``reply(text)``."""

    def __init__(self, reply: Callable[[str], list[dict[str, Any]]] | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.reply = reply or (lambda text: [{"text": f"echo: {text}"}])
        self.down = False
        self.events: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("refused", request=request)
        path = request.url.path
        if path.startswith("/conversations/") and path.endswith("/tracker"):
            sender = path.removeprefix("/conversations/").removesuffix("/tracker")
            return httpx.Response(200, json={"events": self.events.get(sender, [])})
        if path != "/webhooks/rest/webhook":
            return httpx.Response(404)
        body = json.loads(request.content)
        self.calls.append(body)
        if body["message"] == "/greet":
            replies = [{"text": GREETING, "buttons": MENU}]
        else:
            replies = self.reply(body["message"])
        self._store(body["sender"], body["message"], replies)
        return httpx.Response(200, json=replies)

    def _store(self, sender: str, text: str, replies: list[dict[str, Any]]) -> None:
        """The events Rasa's tracker store would hold for this turn."""
        events = self.events.setdefault(sender, [])
        events.append({"event": "user", "text": text})
        for reply in replies:
            if "custom" in reply:
                events.append({"event": "bot", "text": None, "data": {"custom": reply["custom"]}})
            else:
                events.append({"event": "bot", "text": reply.get("text"), "data": {}})

    def texts(self, sender: str = f"zalo:{CHAT}") -> list[str]:
        return [c["message"] for c in self.calls if c["sender"] == sender]


class Gateway:
    """The gateway app with the Zalo channel on; ``post`` delivers, ``settle`` waits."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def post(self, body: Any, secret: str | None = SECRET, settle: bool = True) -> httpx.Response:
        headers = {"X-Bot-Api-Secret-Token": secret} if secret is not None else {}
        response = self.client.post("/webhooks/zalo", json=body, headers=headers)
        if settle:
            self.settle()
        return response

    def settle(self) -> None:
        service = self.client.app.state.zalo
        if service is not None:
            self.client.portal.call(service.drain)


@contextmanager
def running_gateway(
    zalo: FakeZaloServer, rasa: FakeRasa, *, secret: str = SECRET, token: str | None = None,
    database_url: str = "",
) -> Iterator[Gateway]:
    settings = make_settings(
        database_url=database_url,
        rasa_url="http://rasa.test",
        action_server_url="http://actions.test",
        zalo_bot_token=zalo.token if token is None else token,
        zalo_webhook_secret=secret,
        zalo_api_base_url=zalo.url,
    )
    app = create_app(settings, transport=httpx.MockTransport(rasa))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Gateway(client)


def update(
    event_name: str = "message.text.received",
    *,
    text: str | None = None,
    chat: str = CHAT,
    message_id: str | None = None,
    wrapped: bool = True,
    **message_fields: Any,
) -> dict[str, Any]:
    """A webhook delivery as Zalo sends it (``wrapped``: inside ``{"ok", "result"}``)."""
    message: dict[str, Any] = {
        "from": {"id": chat, "display_name": "Người dùng", "is_bot": False},
        "chat": {"id": chat, "chat_type": "PRIVATE"},
        "message_id": message_id or uuid.uuid4().hex,
        "date": 1750316131602,
        **message_fields,
    }
    if text is not None:
        message["text"] = text
    body = {"event_name": event_name, "message": message}
    return {"ok": True, "result": body} if wrapped else body


@pytest.fixture
def zalo() -> Iterator[FakeZaloServer]:
    with FakeZaloServer() as server:
        yield server


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def gateway(zalo: FakeZaloServer, rasa: FakeRasa, tmp_path) -> Iterator[Gateway]:
    """A gateway on a database of its own: each test's chat is new (and gets the notice)."""
    with running_gateway(zalo, rasa, database_url=f"sqlite:///{tmp_path / 'app.db'}") as gw:
        yield gw


# --------------------------------------------------------------------------- delivery


@pytest.mark.parametrize("wrapped", [True, False], ids=["ok-result-envelope", "bare-update"])
def test_signed_text_is_answered_in_the_right_chat(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa, wrapped: bool
) -> None:
    response = gateway.post(update(text="cach kich hoat vneid", wrapped=wrapped))
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert rasa.texts() == ["/greet", "cach kich hoat vneid"]
    texts = zalo.texts(CHAT)
    assert "xóa dữ liệu của tôi" in texts[0]  # the privacy notice opens the conversation
    assert texts[1].startswith(GREETING)
    assert texts[-1] == "echo: cach kich hoat vneid"
    assert all(c.token == zalo.token for c in zalo.calls)
    assert {c.params["chat_id"] for c in zalo.calls} == {CHAT}


def test_known_chat_is_not_greeted_again(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa
) -> None:
    gateway.post(update(text="câu hỏi một"))
    gateway.post(update(text="câu hỏi hai"))
    assert rasa.texts() == ["/greet", "câu hỏi một", "câu hỏi hai"]


def test_first_plain_hello_is_answered_by_the_greeting_only(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa
) -> None:
    gateway.post(update(text="Xin chào"))
    assert rasa.texts() == ["/greet"]
    assert len(zalo.texts(CHAT)) == 2  # the notice, the greeting


def test_follow_event_opens_the_conversation(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa
) -> None:
    body = {"event_name": "user.follow", "user": {"id": CHAT}}
    assert gateway.post(body).status_code == 200
    assert rasa.texts() == ["/greet"]
    assert zalo.texts(CHAT)[1].startswith(GREETING)


@pytest.mark.parametrize(
    "secret",
    [None, "", "wrong-secret", SECRET + "x", "bí mật"],
    ids=["missing", "empty", "wrong", "longer", "non-ascii"],
)
def test_wrong_or_missing_secret_is_refused_and_nothing_is_sent(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa, secret: str | None
) -> None:
    if secret == "bí mật":  # non-ASCII header values must not crash the comparison
        response = gateway.client.post(
            "/webhooks/zalo",
            content=json.dumps(update(text="xin chào")).encode(),
            headers={"X-Bot-Api-Secret-Token": secret.encode()},
        )
        gateway.settle()
    else:
        response = gateway.post(update(text="xin chào"), secret=secret)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["message"] and error["message_en"]
    assert "X-Bot-Api-Secret-Token" in error["message_en"]
    assert rasa.calls == []
    assert zalo.calls == []


@pytest.mark.parametrize("missing", ["secret", "token"])
def test_unconfigured_channel_answers_503(
    zalo: FakeZaloServer, rasa: FakeRasa, missing: str
) -> None:
    kwargs = {"secret": ""} if missing == "secret" else {"token": ""}
    with running_gateway(zalo, rasa, **kwargs) as gw:
        response = gw.post(update(text="xin chào"), secret="")
        assert response.status_code == 503
        assert "chưa cấu hình" in response.json()["error"]["message"]
    assert rasa.calls == [] and zalo.calls == []


def test_body_that_is_not_json_gets_400(gateway: Gateway, zalo: FakeZaloServer) -> None:
    response = gateway.client.post(
        "/webhooks/zalo", content=b"{oops", headers={"X-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert zalo.calls == []


def test_redelivered_message_id_is_processed_once(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa
) -> None:
    body = update(text="quen passcode", message_id="msg-42")
    first = gateway.post(body, settle=False)
    second = gateway.post(body, settle=False)
    gateway.settle()
    third = gateway.post(update(text="quen passcode", message_id="msg-42", wrapped=False))
    assert first.status_code == second.status_code == third.status_code == 200
    assert rasa.texts() == ["/greet", "quen passcode"]
    assert zalo.texts(CHAT).count("echo: quen passcode") == 1


def test_messages_of_one_chat_are_answered_in_order(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa
) -> None:
    for i in range(5):
        gateway.post(update(text=f"tin {i}"), settle=False)
    gateway.settle()
    assert rasa.texts() == ["/greet"] + [f"tin {i}" for i in range(5)]
    assert [t for t in zalo.texts(CHAT) if t.startswith("echo:")] == [
        f"echo: tin {i}" for i in range(5)
    ]


# --------------------------------------------------------------------------- rendering


def test_buttons_become_a_numbered_list_and_a_number_picks_the_payload(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa
) -> None:
    gateway.post(update(text="xin chào"))
    menu_text = zalo.texts(CHAT)[1]  # after the privacy notice
    assert menu_text == f"{GREETING}\n\n1. VNeID\n2. Dịch vụ công\n\n{CHOICE_HINT}"
    assert "trả lời bằng số" in menu_text

    gateway.post(update(text="2"))
    assert rasa.texts()[-1] == MENU[1]["payload"]
    gateway.post(update(text=" 1. "))
    assert rasa.texts()[-1] == MENU[0]["payload"]
    gateway.post(update(text="dich vu cong"))
    assert rasa.texts()[-1] == MENU[1]["payload"]
    gateway.post(update(text="9"))
    assert rasa.texts()[-1] == "9"


def test_numbering_continues_across_messages_of_one_reply(zalo: FakeZaloServer) -> None:
    rasa = FakeRasa(
        lambda text: [
            {"text": "Chủ đề A", "buttons": [{"title": "A1", "payload": "/a1"}]},
            {"text": "Chủ đề B", "buttons": [{"title": "B1", "payload": "/b1"}]},
        ]
    )
    with running_gateway(zalo, rasa) as gw:
        gw.post(update(text="menu"))
        texts = zalo.texts(CHAT)
        assert texts[-2] == "Chủ đề A\n\n1. A1"
        assert texts[-1] == f"Chủ đề B\n\n2. B1\n\n{CHOICE_HINT}"
        gw.post(update(text="2"))
    assert rasa.texts()[-1] == "/b1"


def test_long_reply_is_split_at_paragraph_boundaries(zalo: FakeZaloServer) -> None:
    paragraphs = [f"Đoạn {i}: " + "thủ tục hành chính trực tuyến " * 20 for i in range(12)]
    long_text = "\n\n".join(p.strip() for p in paragraphs)
    assert len(long_text) > 6000
    rasa = FakeRasa(lambda text: [{"text": long_text}])
    with running_gateway(zalo, rasa) as gw:
        gw.post(update(text="hướng dẫn chi tiết"))
    chunks = zalo.texts(CHAT)[1:]  # after the greeting
    assert len(chunks) >= 4
    assert all(len(chunk) < 2000 for chunk in chunks)
    assert "\n\n".join(chunks) == long_text
    for chunk in chunks:
        assert chunk.startswith("Đoạn ")  # every message starts with a whole paragraph


def test_image_reply_is_sent_as_photo(zalo: FakeZaloServer) -> None:
    rasa = FakeRasa(lambda text: [{"text": "Mẫu tờ khai:"}, {"image": "https://img.test/a.png"}])
    with running_gateway(zalo, rasa) as gw:
        gw.post(update(text="mẫu tờ khai"))
    photos = zalo.calls_to("sendPhoto", CHAT)
    assert [p.params["photo"] for p in photos] == ["https://img.test/a.png"]
    assert zalo.texts(CHAT)[-1] == "Mẫu tờ khai:"


def test_typing_action_is_sent_before_the_reply(gateway: Gateway, zalo: FakeZaloServer) -> None:
    gateway.post(update(text="cach kich hoat vneid"))
    methods = [c.method for c in zalo.calls]
    assert "sendChatAction" in methods
    typing = zalo.calls_to("sendChatAction", CHAT)
    assert all(c.params["action"] == "typing" for c in typing)
    assert methods.index("sendChatAction") < methods.index("sendMessage")


# --------------------------------------------------------------------------- other events


@pytest.mark.parametrize(
    ("event_name", "fields", "expected"),
    [
        ("message.image.received", {"photo_url": "https://z.test/p.jpg"}, IMAGE_REPLY),
        (
            "message.sticker.received",
            {"sticker": "abc123", "url": "https://z.test/s"},
            STICKER_REPLY,
        ),
        ("message.unsupported.received", {}, UNSUPPORTED_REPLY),
        ("message.location.received", {}, UNSUPPORTED_REPLY),
    ],
)
def test_non_text_messages_get_a_polite_text(
    gateway: Gateway,
    zalo: FakeZaloServer,
    rasa: FakeRasa,
    event_name: str,
    fields: dict,
    expected: str,
) -> None:
    gateway.post(update(text="chào"))  # the chat is known: no greeting in between
    zalo.clear()
    assert gateway.post(update(event_name, **fields)).status_code == 200
    assert zalo.texts(CHAT) == [expected]
    assert rasa.texts() == ["/greet"]


def test_bare_sticker_without_event_name_is_recognised(
    gateway: Gateway, zalo: FakeZaloServer
) -> None:
    gateway.post(update(text="chào"))
    zalo.clear()
    body = update(wrapped=False, sticker="abc")
    del body["event_name"]
    gateway.post(body)
    assert zalo.texts(CHAT) == [STICKER_REPLY]


def test_unknown_non_message_event_is_acknowledged_and_ignored(
    gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa
) -> None:
    assert gateway.post({"ok": True, "result": {"event_name": "bot.unknown"}}).status_code == 200
    assert gateway.post({"hello": "world"}).status_code == 200
    assert rasa.calls == [] and zalo.calls == []


# --------------------------------------------------------------------------- failures


def test_rasa_down_sends_an_apology(gateway: Gateway, zalo: FakeZaloServer, rasa: FakeRasa) -> None:
    rasa.down = True
    response = gateway.post(update(text="cach kich hoat vneid"))
    assert response.status_code == 200
    assert zalo.texts(CHAT) == [APOLOGY]
    assert "tạm thời gián đoạn" in APOLOGY
    # Once Rasa is back the chat is greeted (the greeting failed) and answered.
    rasa.down = False
    gateway.post(update(text="cach kich hoat vneid"))
    assert rasa.texts() == ["/greet", "cach kich hoat vneid"]


def test_rasa_error_status_sends_an_apology(zalo: FakeZaloServer) -> None:
    with running_gateway(zalo, FakeRasa()) as gw:
        gw.client.app.state.zalo_rasa = RasaClient(
            httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(500))),
            "http://rasa.test",
            "t",
            5.0,
        )
        assert gw.post(update(text="chào")).status_code == 200
    assert zalo.texts(CHAT) == [APOLOGY]


def test_zalo_api_failure_is_logged_not_raised(
    gateway: Gateway, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    zalo.failing_methods = {"sendMessage", "sendChatAction"}
    with caplog.at_level(logging.WARNING, logger="channels.zalo"):
        assert gateway.post(update(text="chào")).status_code == 200
    assert any("sendMessage failed" in r.getMessage() for r in caplog.records)
    # the gateway still serves deliveries afterwards
    zalo.failing_methods = set()
    gateway.post(update(text="lần nữa"))
    assert zalo.texts(CHAT)[-1] == "echo: lần nữa"


def test_logs_mask_phone_and_id_numbers_and_hide_the_token(
    gateway: Gateway, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        gateway.post(update(text="sđt 0912345678 cccd 001203004567"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "zalo event=" in logged
    assert "0912345678" not in logged and "001203004567" not in logged
    assert zalo.token not in logged
    # what reaches Rasa (and its tracker store) is masked too
    assert zalo.texts(CHAT)[-1] == "echo: sđt 091*****78 cccd 001*******67"


# --------------------------------------------------------------------------- settings


def test_default_api_base_is_the_librarys() -> None:
    assert GatewaySettings.model_fields["zalo_api_base_url"].default == BASE_URL
    assert GatewaySettings.model_fields["zalo_bot_token"].default == ""
    assert GatewaySettings.model_fields["zalo_webhook_secret"].default == ""


def test_settings_come_from_troly_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TROLY_ZALO_BOT_TOKEN", "1:abc")
    monkeypatch.setenv("TROLY_ZALO_WEBHOOK_SECRET", "s" * 16)
    monkeypatch.setenv("TROLY_ZALO_API_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("TROLY_ZALO_WEBHOOK_URL", "https://example.vn/webhooks/zalo")
    settings = GatewaySettings()
    assert settings.zalo_bot_token == "1:abc"
    assert settings.zalo_api_base_url == "http://127.0.0.1:9"
    assert settings.zalo_webhook_url == "https://example.vn/webhooks/zalo"


def test_a_full_queue_refuses_the_delivery_for_a_retry(zalo: FakeZaloServer) -> None:
    """Background work is bounded: past the bound the webhook answers 503 with Retry-After,
    so the platform delivers again later; nothing is queued without end."""
    with running_gateway(zalo, FakeRasa()) as gw:
        service = gw.client.app.state.zalo
        service.max_pending_per_chat = 0
        response = gw.post(update(text="chào"))
        assert response.status_code == 503 and response.headers["retry-after"] == "5"
        service.max_pending_per_chat = 20
        assert gw.post(update(text="chào", message_id="m-2")).status_code == 200


# --------------------------------------------------------------------------- ratings


def answering(text: str) -> list[dict[str, Any]]:
    """An answer from a procedure record (text, then the action's description of it)."""
    if "hộ chiếu" in text:
        return [{"text": "Lệ phí cấp hộ chiếu …"},
                {"custom": {"kind": "answer", "source": "procedure:passport"}}]
    return [{"text": f"echo: {text}"}]


@pytest.mark.parametrize("reply, rating", [("👍", "helpful"), ("👎🏽", "wrong"),
                                           ("Chưa đúng", "wrong"), ("huu ich", "helpful")])
def test_a_thumb_right_after_an_answer_rates_it(zalo: FakeZaloServer, tmp_path,
                                                reply: str, rating: str) -> None:
    from feedback.ratings import THANKS, ratings_by_source

    url = f"sqlite:///{tmp_path / 'app.db'}"
    rasa = FakeRasa(answering)
    with running_gateway(zalo, rasa, database_url=url) as gateway:
        gateway.post(update(text="lệ phí làm hộ chiếu bao nhiêu"))
        zalo.clear()
        gateway.post(update(text=reply))
    assert zalo.texts(CHAT) == [THANKS[rating]]
    assert reply not in rasa.texts()  # a rating is not a message for the assistant
    [summary] = ratings_by_source(url)
    assert summary.source == "procedure:passport"
    assert (summary.helpful, summary.wrong) == ((1, 0) if rating == "helpful" else (0, 1))


def test_a_thumb_after_a_reply_that_was_no_answer_goes_to_the_assistant(
    zalo: FakeZaloServer, tmp_path
) -> None:
    from feedback.ratings import ratings_by_source

    url = f"sqlite:///{tmp_path / 'app.db'}"
    rasa = FakeRasa(answering)
    with running_gateway(zalo, rasa, database_url=url) as gateway:
        gateway.post(update(text="chào"))
        gateway.post(update(text="👍"))
    assert "👍" in rasa.texts()
    assert ratings_by_source(url) == []


def test_while_staff_hold_the_chat_the_citizen_s_message_goes_to_them_in_silence(
    zalo: FakeZaloServer, tmp_path
) -> None:
    """Rasa is paused (it answers nothing): the message is added to the handoff and the chat
    gets no "no answer" apology — staff answer themselves."""
    from handoff.queue import messages, request_handoff, take

    url = f"sqlite:///{tmp_path / 'app.db'}"
    view, _ = request_handoff(url, f"zalo:{CHAT}", "zalo")
    take(url, view.id, "motcua")
    rasa = FakeRasa(lambda text: [])
    with running_gateway(zalo, rasa, database_url=url) as gateway:
        gateway.post(update(text="chào"))  # the greeting turn opens the chat
        zalo.clear()
        gateway.post(update(text="Tôi muốn đổi thẻ cho mẹ"))
    assert zalo.texts(CHAT) == []
    assert messages(url, view.id)[-1].text == "Tôi muốn đổi thẻ cho mẹ"
