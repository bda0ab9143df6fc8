"""Zalo channel building blocks: update parsing, rendering, splitting, cache, webhook CLI."""

from __future__ import annotations

import asyncio

import pytest

from channels.cache import TTLCache
from channels.zalo.bot import build_bot, redact_token
from channels.zalo.cli import CommandError, main, run_command
from channels.zalo.render import (
    CHOICE_HINT,
    MenuItem,
    render_reply,
    resolve_choice,
    split_text,
)
from channels.zalo.updates import parse_updates
from core.config import Settings
from tests.channels.conftest import make_settings
from tests.channels.fake_zalo import FakeZaloServer

# --------------------------------------------------------------------------- updates


def test_both_payload_shapes_parse_to_the_same_event() -> None:
    bare = {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": "u1", "display_name": "A"},
            "chat": {"id": "c1", "chat_type": "PRIVATE"},
            "text": "Xin chào",
            "message_id": "m1",
            "date": 1750316131602,
        },
    }
    wrapped = {"ok": True, "result": bare}
    assert parse_updates(bare) == parse_updates(wrapped)
    (event,) = parse_updates(wrapped)
    assert (event.kind, event.chat_id, event.message_id, event.text) == (
        "text",
        "c1",
        "m1",
        "Xin chào",
    )


def test_chat_id_falls_back_to_the_sender_and_numbers_become_strings() -> None:
    (event,) = parse_updates(
        {
            "event_name": "message.text.received",
            "message": {"from": {"id": 42}, "text": "a", "message_id": 7},
        }
    )
    assert (event.chat_id, event.message_id) == ("42", "7")


@pytest.mark.parametrize(
    ("event_name", "message", "kind"),
    [
        ("message.image.received", {"photo_url": "x"}, "image"),
        ("message.sticker.received", {"sticker": "s"}, "sticker"),
        ("message.unsupported.received", {}, "unsupported"),
        ("message.text.received", {}, "unsupported"),
        ("follow", {}, "follow"),
        ("user.unfollow", {}, "ignored"),
        ("", {"photo_url": "x"}, "image"),
        ("", {"text": "hi"}, "text"),
    ],
)
def test_event_kinds(event_name: str, message: dict, kind: str) -> None:
    body = {"event_name": event_name, "message": {"chat": {"id": "c"}, **message}}
    assert parse_updates(body)[0].kind == kind


@pytest.mark.parametrize("payload", [None, 3, "x", [], {}, {"ok": True, "result": None}])
def test_garbage_parses_to_nothing(payload: object) -> None:
    assert parse_updates(payload) == []


# --------------------------------------------------------------------------- rendering


def test_render_reply_numbers_buttons_and_adds_the_hint_once() -> None:
    outgoing, menu = render_reply(
        [
            {
                "text": "Chọn chủ đề:",
                "buttons": [
                    {"title": "VNeID", "payload": "/a"},
                    {"title": "Dịch vụ công", "payload": "/b"},
                ],
            },
            {"image": "https://img.test/x.png"},
        ]
    )
    assert outgoing[0].text == f"Chọn chủ đề:\n\n1. VNeID\n2. Dịch vụ công\n\n{CHOICE_HINT}"
    assert outgoing[1].photo == "https://img.test/x.png"
    assert menu == [MenuItem("VNeID", "/a"), MenuItem("Dịch vụ công", "/b")]


def test_buttons_without_text_still_render() -> None:
    outgoing, _ = render_reply([{"buttons": [{"title": "Có", "payload": "/affirm"}]}])
    assert outgoing[0].text == f"1. Có\n\n{CHOICE_HINT}"


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        ("1", "/a"),
        ("2", "/b"),
        (" 2. ", "/b"),
        ("2)", "/b"),
        ("số 2", "/b"),
        ("vneid", "/a"),
        ("DỊCH VỤ CÔNG", "/b"),
        ("0", None),
        ("3", None),
        ("12 giờ", None),
        ("cảm ơn", None),
    ],
)
def test_resolve_choice(text: str, payload: str | None) -> None:
    menu = [MenuItem("VNeID", "/a"), MenuItem("Dịch vụ công", "/b")]
    assert resolve_choice(text, menu) == payload


def test_resolve_choice_without_menu() -> None:
    assert resolve_choice("1", None) is None


def test_split_short_text_is_one_message() -> None:
    assert split_text("Xin chào.\n\nTạm biệt.") == ["Xin chào.\n\nTạm biệt."]


def test_split_packs_paragraphs_under_the_limit() -> None:
    paragraphs = [f"P{i} " + "x" * 90 for i in range(30)]
    chunks = split_text("\n\n".join(paragraphs), max_chars=500)
    assert all(len(c) <= 500 for c in chunks)
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)
    assert all(c.startswith("P") for c in chunks)


def test_split_cuts_a_huge_paragraph_at_lines_then_words() -> None:
    lines = ["Bước " + str(i) + ": " + "làm theo hướng dẫn " * 5 for i in range(40)]
    paragraph = "\n".join(line.strip() for line in lines)
    chunks = split_text(paragraph, max_chars=300)
    assert all(len(c) <= 300 for c in chunks)
    assert all(c.startswith("Bước ") for c in chunks)
    word_chunks = split_text("chữ " * 1000, max_chars=100)
    assert all(len(c) <= 100 for c in word_chunks)
    assert " ".join(word_chunks) == ("chữ " * 1000).strip()
    assert [len(c) for c in split_text("a" * 4500)] == [1999, 1999, 502]


# --------------------------------------------------------------------------- cache


def test_ttl_cache_expires_and_is_bounded() -> None:
    now = [0.0]
    cache: TTLCache[str, int] = TTLCache(maxsize=3, ttl=10, clock=lambda: now[0])
    assert cache.add("a", 1) and not cache.add("a", 2)
    cache.set("b", 2)
    cache.set("c", 3)
    cache.set("d", 4)
    assert "a" not in cache and len(cache) == 3
    now[0] = 9.9
    assert cache.get("b") == 2
    now[0] = 10.0
    assert cache.get("b") is None and len(cache) == 0
    assert cache.pop("missing") is None


# --------------------------------------------------------------------------- bot + CLI


def test_bot_uses_the_configured_base_url() -> None:
    async def scenario() -> str:
        bot = build_bot("1:abc", "http://127.0.0.1:1/")
        try:
            return bot._base_url
        finally:
            await bot.aclose()

    assert asyncio.run(scenario()) == "http://127.0.0.1:1/bot1:abc"


def test_redact_token() -> None:
    url = "POST http://127.0.0.1:5/bot123:SECRET/sendMessage"
    assert redact_token(url) == "POST http://127.0.0.1:5/bot***/sendMessage"


@pytest.fixture
def zalo() -> FakeZaloServer:
    with FakeZaloServer() as server:
        yield server


def _settings(zalo: FakeZaloServer, **overrides: str) -> Settings:
    values = {
        "zalo_bot_token": zalo.token,
        "zalo_webhook_secret": "secret-of-16-chars",
        "zalo_api_base_url": zalo.url,
    }
    values.update(overrides)
    return make_settings(**values)


def test_cli_set_info_delete(zalo: FakeZaloServer, capsys: pytest.CaptureFixture) -> None:
    settings = _settings(zalo)
    assert main(["set-webhook", "https://troly06.example.vn/webhooks/zalo"], settings) == 0
    (call,) = zalo.calls_to("setWebhook")
    assert call.params == {
        "url": "https://troly06.example.vn/webhooks/zalo",
        "secret_token": "secret-of-16-chars",
    }
    assert main(["info"], settings) == 0
    assert "https://troly06.example.vn/webhooks/zalo" in capsys.readouterr().out
    assert main(["delete-webhook"], settings) == 0
    assert zalo.webhook["url"] == ""
    assert zalo.token not in capsys.readouterr().out


def test_cli_uses_the_configured_webhook_url(zalo: FakeZaloServer) -> None:
    settings = _settings(zalo, zalo_webhook_url="https://cfg.example.vn/webhooks/zalo")
    assert main(["set-webhook"], settings) == 0
    assert zalo.webhook["url"] == "https://cfg.example.vn/webhooks/zalo"


def test_cli_works_inside_a_running_event_loop(zalo: FakeZaloServer) -> None:
    async def inside_loop() -> dict:
        return await run_command(_settings(zalo), "set-webhook", "https://a.example.vn/z")

    assert asyncio.run(inside_loop())["ok"] is True


@pytest.mark.parametrize(
    ("overrides", "argv"),
    [
        ({"zalo_bot_token": ""}, ["info"]),
        ({"zalo_webhook_secret": "short"}, ["set-webhook", "https://a.example.vn/z"]),
        ({}, ["set-webhook"]),
    ],
)
def test_cli_explains_configuration_errors(
    zalo: FakeZaloServer, capsys: pytest.CaptureFixture, overrides: dict, argv: list[str]
) -> None:
    assert main(argv, _settings(zalo, **overrides)) == 1
    assert capsys.readouterr().err.startswith("Lỗi: ")
    assert zalo.calls_to("setWebhook") == []


def test_cli_reports_api_errors_without_the_token(
    zalo: FakeZaloServer, capsys: pytest.CaptureFixture
) -> None:
    zalo.failing_methods = {"getWebhookInfo"}
    assert main(["info"], _settings(zalo)) == 1
    err = capsys.readouterr().err
    assert "Zalo Bot API" in err and zalo.token not in err


def test_cli_against_unreachable_api() -> None:
    settings = make_settings(zalo_bot_token="1:abc", zalo_api_base_url="http://127.0.0.1:9")
    with pytest.raises(CommandError):
        asyncio.run(run_command(settings, "info"))
