"""End-to-end Zalo OA: signed event → gateway → Rasa → actions → knowledge → fake OA API;
a forged one refused, a repeated or stale one not answered twice, an expired access token
refreshed through the fake OAuth server."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.channels.fake_zalo_oa import OACall, signed_event
from tests.e2e.zalo_oa_fixtures import OAGateway, oa_gateway  # noqa: F401 - fixture by name

pytestmark = pytest.mark.stack
QUESTION = "cach kich hoat vneid"
REFRESH_PATH = "/v4/oa/access_token"


def _cited(user: str, count: int = 1):
    def check(calls: list[OACall]) -> bool:
        return sum(
            1 for c in calls
            if c.path == "/v3.0/oa/message/cs" and c.ok
            and c.body.get("recipient", {}).get("user_id") == user
            and "Nguồn:" in c.body.get("message", {}).get("text", "")
        ) >= count
    return check


def _wait(gateway: OAGateway, predicate, what: str) -> None:
    try:
        gateway.oa.wait_for(predicate, timeout=120)
    except AssertionError:
        pytest.fail(f"{what}; OA gateway log:\n{gateway.log_tail()}")


def test_zalo_oa_conversation_through_the_stack(
    oa_gateway: OAGateway,  # noqa: F811 - fixture
) -> None:
    client, oa = oa_gateway.client, oa_gateway.oa
    user = f"84{uuid.uuid4().int % 10**17:017d}"

    raw, headers = signed_event(user, QUESTION)
    response = client.post("/webhooks/zalo-oa", content=raw, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True}
    _wait(oa_gateway, _cited(user), "no cited answer at the fake OA API")

    # forged: refused, nothing sent to that citizen
    intruder = f"84{uuid.uuid4().int % 10**17:017d}"
    forged, forged_headers = signed_event(intruder, QUESTION, secret="guessed-secret")
    refused = client.post("/webhooks/zalo-oa", content=forged, headers=forged_headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["message"]

    # the same event again, and a correctly signed but stale one: acknowledged, not answered
    answered = len(oa.sends(user))
    assert client.post("/webhooks/zalo-oa", content=raw, headers=headers).status_code == 200
    old = int(time.time() * 1000) - 10 * 60_000
    stale, stale_headers = signed_event(user, "le phi cap doi can cuoc", timestamp_ms=old)
    assert client.post("/webhooks/zalo-oa", content=stale,
                       headers=stale_headers).status_code == 200
    time.sleep(3)
    assert len(oa.sends(user)) == answered
    assert not oa.sends(intruder)

    # Zalo now calls the access token invalid: refreshed once, and the answer still arrives
    oa.expire_access_token()
    again, again_headers = signed_event(user, QUESTION)
    assert client.post("/webhooks/zalo-oa", content=again,
                       headers=again_headers).status_code == 200
    _wait(oa_gateway, _cited(user, 2), "no cited answer after the token expired")
    refreshes = oa.calls_to(REFRESH_PATH)
    assert len(refreshes) == 1 and refreshes[0].ok
    assert any(c.answer.get("error") == -216 for c in oa.sends(user))
