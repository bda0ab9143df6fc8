"""Per-sender rate limit: a clear Vietnamese 429 with Retry-After; other senders unaffected."""

from __future__ import annotations

from channels.ratelimit import SenderRateLimiter
from tests.channels.test_chat_api import rasa_reply


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_allows_the_limit_then_says_how_long_to_wait() -> None:
    clock = FakeClock()
    limiter = SenderRateLimiter(3, 60, clock=clock)
    assert [limiter.check("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.check("a") == 60
    assert limiter.check("b") == 0
    clock.now += 30
    assert limiter.check("a") == 30
    clock.now += 30.5
    assert limiter.check("a") == 0


def test_limiter_forgets_the_least_recent_senders() -> None:
    limiter = SenderRateLimiter(1, 60, max_senders=2, clock=FakeClock())
    for sender in ("a", "b", "c"):
        assert limiter.check(sender) == 0
    assert limiter.check("a") == 0  # "a" was evicted, so it starts afresh
    assert limiter.check("c") > 0


def test_zero_limit_disables_it() -> None:
    limiter = SenderRateLimiter(0, 60)
    assert all(limiter.check("a") == 0 for _ in range(100))


def test_chat_endpoint_answers_429_in_vietnamese_and_keeps_other_senders(make_client) -> None:
    client = make_client(rasa_reply)
    client.app.state.rate_limiter = SenderRateLimiter(2, 60)
    for _ in range(2):
        assert (
            client.post("/api/chat", json={"sender_id": "u1", "message": "hi"}).status_code == 200
        )
    limited = client.post("/api/chat", json={"sender_id": "u1", "message": "hi"})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    body = limited.json()
    assert body["error"]["code"] == "rate_limited"
    assert "giây" in body["error"]["message"]
    assert client.post("/api/chat", json={"sender_id": "u2", "message": "hi"}).status_code == 200
