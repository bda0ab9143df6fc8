"""Zalo OA channel pieces on their own: signature, event parsing, the encrypted token store,
the token manager (refresh before expiry, one refresh at a time) and the CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from channels.zalo_oa.cli import main as cli_main
from channels.zalo_oa.cli import run_command
from channels.zalo_oa.client import OAClient
from channels.zalo_oa.events import parse_event
from channels.zalo_oa.signature import check_delivery, compute_mac, signature_header
from channels.zalo_oa.tokens import TokenManager, TokenUnavailable
from oa_tokens import (
    InvalidTokenKey,
    TokenCipher,
    TokenPair,
    generate_key,
    load_tokens,
    save_tokens,
)
from tests.channels.conftest import make_settings
from tests.channels.fake_zalo_oa import APP_ID, OA_SECRET_KEY, FakeZaloOA

NOW_MS = 1_750_000_000_000
BODY = b'{"event_name":"user_send_text","timestamp":"1750000000000"}'


# --------------------------------------------------------------------------- signature


def test_mac_is_sha256_of_app_id_body_timestamp_secret() -> None:
    expected = hashlib.sha256(b"app" + BODY + b"1750000000000" + b"secret").hexdigest()
    assert compute_mac("app", BODY, "1750000000000", "secret") == expected
    assert signature_header("app", BODY, "1", "s").startswith("mac=")


def _check(header: str, *, timestamps=("1750000000000",), now_ms: int = NOW_MS,
           max_age: float = 300) -> str:
    return check_delivery(BODY, header, app_id="app", secret="secret", timestamps=timestamps,
                          max_age_seconds=max_age, now_ms=now_ms)


def test_good_signature_with_or_without_prefix_in_any_case() -> None:
    mac = compute_mac("app", BODY, "1750000000000", "secret")
    assert _check("mac=" + mac) == "ok"
    assert _check(mac.upper()) == "ok"
    assert _check("MAC=" + mac) == "ok"


@pytest.mark.parametrize("header", ["", "mac=", "mac=00", "mac=" + "a" * 64, "mac=ü"])
def test_forged_signatures(header: str) -> None:
    assert _check(header) == "forged"


def test_signature_of_another_secret_or_body_is_forged() -> None:
    assert _check(signature_header("app", BODY, "1750000000000", "other")) == "forged"
    assert _check(signature_header("app", BODY + b" ", "1750000000000", "secret")) == "forged"


def test_stale_and_future_events() -> None:
    header = signature_header("app", BODY, "1750000000000", "secret")
    assert _check(header, now_ms=NOW_MS + 299_000) == "ok"
    assert _check(header, now_ms=NOW_MS + 301_000) == "stale"
    assert _check(header, now_ms=NOW_MS - 301_000) == "stale"
    assert _check(header, now_ms=NOW_MS + 10**9, max_age=0) == "ok"


def test_header_timestamp_is_tried_and_seconds_are_understood() -> None:
    header = signature_header("app", BODY, "1750000000", "secret")
    assert _check(header, timestamps=("1750000000000", "1750000000")) == "ok"
    assert _check(header, timestamps=(None, "")) == "forged"


def test_missing_configuration_never_verifies() -> None:
    header = signature_header("", BODY, "1750000000000", "")
    assert check_delivery(BODY, header, app_id="", secret="", timestamps=["1750000000000"],
                          max_age_seconds=0) == "forged"


# --------------------------------------------------------------------------- events


def test_text_event_is_parsed() -> None:
    event = parse_event({
        "app_id": "1", "event_name": "user_send_text", "sender": {"id": "u1"},
        "recipient": {"id": "oa"}, "message": {"text": "Xin chào", "msg_id": "m1"},
        "timestamp": "1750000000000",
    })
    assert event is not None
    assert (event.kind, event.user_id, event.text, event.msg_id, event.timestamp_ms) == (
        "text", "u1", "Xin chào", "m1", 1_750_000_000_000)
    assert event.dedup_key == "msg:m1"


@pytest.mark.parametrize(("name", "kind"), [
    ("user_send_image", "image"), ("user_send_gif", "image"), ("user_send_sticker", "sticker"),
    ("user_send_file", "file"), ("user_send_location", "location"),
    ("user_send_audio", "unsupported"), ("user_send_something_new", "unsupported"),
    ("oa_send_text", "ignored"), ("follow", "ignored"), ("anonymous_send_text", "ignored"),
])
def test_event_kinds(name: str, kind: str) -> None:
    event = parse_event({"event_name": name, "sender": {"id": 42}, "message": {}})
    assert event is not None and event.kind == kind and event.text is None
    assert event.user_id == "42"


@pytest.mark.parametrize("payload", [None, [], "x", {}, {"event_name": ""}, {"event_name": 3}])
def test_not_an_event(payload: object) -> None:
    assert parse_event(payload) is None


def test_text_event_without_text_is_unsupported_and_keyed_by_time() -> None:
    event = parse_event({"event_name": "user_send_text", "sender": {"id": "u"},
                         "message": {"text": 5}, "timestamp": "17"})
    assert event is not None and event.kind == "unsupported"
    assert event.dedup_key == "user_send_text:u:17000"


# --------------------------------------------------------------------------- token store


def _pair(access: str = "AT-secret-access", refresh: str = "RT-secret-refresh",
          minutes: int = 60) -> TokenPair:
    now = dt.datetime.now(dt.timezone.utc)
    return TokenPair(access, refresh, now + dt.timedelta(minutes=minutes),
                     now + dt.timedelta(days=90))


def test_tokens_round_trip_encrypted_and_a_wrong_key_cannot_read_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    cipher = TokenCipher(generate_key())
    save_tokens(url, "app", _pair(), cipher)
    loaded = load_tokens(url, "app", cipher)
    assert loaded is not None and loaded.access_token == "AT-secret-access"
    assert loaded.access_expires_at.tzinfo is not None
    raw = (tmp_path / "t.db").read_bytes()
    assert b"AT-secret-access" not in raw and b"RT-secret-refresh" not in raw
    with pytest.raises(InvalidTokenKey):
        load_tokens(url, "app", TokenCipher(generate_key()))
    assert load_tokens(url, "other-app", cipher) is None


@pytest.mark.parametrize("key", ["", "short", "x" * 44])
def test_a_key_that_is_not_a_fernet_key_is_refused(key: str) -> None:
    with pytest.raises(InvalidTokenKey, match="TROLY_ZALO_OA_TOKEN_KEY"):
        TokenCipher(key)


# --------------------------------------------------------------------------- token manager


@pytest.fixture
def oa() -> Iterator[FakeZaloOA]:
    with FakeZaloOA() as server:
        yield server


def _manager(oa: FakeZaloOA, http: httpx.AsyncClient, store: dict[str, TokenPair],
             minutes: int = 60) -> TokenManager:
    access, refresh = oa.issue_tokens()
    store["pair"] = _pair(access, refresh, minutes)
    return TokenManager(OAClient(http, oa.url, oa.url), app_id=APP_ID,
                        app_secret=oa.app_secret, load=lambda: store.get("pair"),
                        save=lambda pair: store.__setitem__("pair", pair))


def test_fresh_token_is_used_as_stored(oa: FakeZaloOA) -> None:
    async def run() -> None:
        store: dict[str, TokenPair] = {}
        async with httpx.AsyncClient() as http:
            manager = _manager(oa, http, store)
            assert await manager.access_token() == store["pair"].access_token
        assert oa.calls == []

    asyncio.run(run())


def test_token_within_the_margin_is_refreshed_first(oa: FakeZaloOA) -> None:
    async def run() -> None:
        store: dict[str, TokenPair] = {}
        async with httpx.AsyncClient() as http:
            manager = _manager(oa, http, store, minutes=4)
            old = store["pair"]
            token = await manager.access_token()
        assert token != old.access_token and token == store["pair"].access_token
        assert store["pair"].refresh_token != old.refresh_token
        assert manager.refreshes == 1

    asyncio.run(run())


def test_concurrent_refreshes_spend_the_refresh_token_once(oa: FakeZaloOA) -> None:
    oa.refresh_delay = 0.2

    async def run() -> None:
        store: dict[str, TokenPair] = {}
        async with httpx.AsyncClient() as http:
            manager = _manager(oa, http, store)
            rejected = store["pair"].access_token
            pairs = await asyncio.gather(*(manager.refresh(rejected) for _ in range(5)))
        assert len({p.access_token for p in pairs}) == 1
        assert pairs[0].access_token != rejected
        assert manager.refreshes == 1

    asyncio.run(run())
    refreshes = oa.calls_to("/v4/oa/access_token")
    assert len(refreshes) == 1 and refreshes[0].ok


def test_no_stored_tokens_is_explained(oa: FakeZaloOA) -> None:
    async def run() -> None:
        async with httpx.AsyncClient() as http:
            manager = TokenManager(OAClient(http, oa.url, oa.url), app_id=APP_ID,
                                   app_secret="s", load=lambda: None, save=lambda p: None)
            with pytest.raises(TokenUnavailable, match="set-tokens"):
                await manager.access_token()

    asyncio.run(run())


# --------------------------------------------------------------------------- CLI


def _settings(oa: FakeZaloOA, tmp_path: Path, **overrides: str):
    fields = dict(
        database_url=f"sqlite:///{tmp_path / 'cli.db'}",
        zalo_oa_app_id=APP_ID, zalo_oa_secret_key=OA_SECRET_KEY,
        zalo_oa_app_secret=oa.app_secret, zalo_oa_token_key=generate_key(),
        zalo_oa_api_base_url=oa.url, zalo_oa_oauth_base_url=oa.url,
    )
    fields.update(overrides)
    return make_settings(**fields)


def test_cli_new_key_is_usable() -> None:
    key = run_command(make_settings(), "new-key")["TROLY_ZALO_OA_TOKEN_KEY"]
    TokenCipher(key)


def test_cli_set_tokens_then_check_and_refresh(
    oa: FakeZaloOA, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(oa, tmp_path)
    access, refresh = oa.issue_tokens()
    answers = iter([access, refresh])
    result = run_command(settings, "set-tokens", prompt=lambda _: next(answers))
    assert result["ok"] and result["access_expires_at"]
    assert access not in json.dumps(result)

    assert cli_main(["check"], settings=settings) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["oa_name"] and shown["refreshed_now"] is False
    assert access not in json.dumps(shown) and refresh not in json.dumps(shown)

    assert cli_main(["refresh"], settings=settings) == 0
    capsys.readouterr()
    stored = load_tokens(settings.database.url, APP_ID,
                         TokenCipher(settings.gateway.zalo_oa_token_key))
    assert stored is not None and stored.access_token != access


def test_cli_check_explains_what_is_missing(
    oa: FakeZaloOA, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["check"], settings=_settings(oa, tmp_path, zalo_oa_app_secret="")) == 1
    assert "TROLY_ZALO_OA_APP_SECRET" in capsys.readouterr().err
    assert cli_main(["check"], settings=_settings(oa, tmp_path)) == 1
    assert "set-tokens" in capsys.readouterr().err
    bad_key = _settings(oa, tmp_path, zalo_oa_token_key="nope")
    assert cli_main(["check"], settings=bad_key) == 1
    assert "new-key" in capsys.readouterr().err


def test_cli_set_tokens_needs_both_tokens(oa: FakeZaloOA, tmp_path: Path) -> None:
    from channels.zalo_oa.cli import CommandError

    with pytest.raises(CommandError, match="refresh token"):
        run_command(_settings(oa, tmp_path), "set-tokens", prompt=lambda _: "")
