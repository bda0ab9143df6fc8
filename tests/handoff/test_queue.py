"""The queue: one open handoff per conversation, taken by one staff member, ended once."""

from __future__ import annotations

import datetime as dt

import pytest

from handoff.queue import (
    HandoffError,
    add_message,
    end,
    expire_waiting,
    get_handoff,
    messages,
    open_handoff,
    queue_position,
    request_handoff,
    take,
    waiting_and_held,
)


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


def test_the_queue_in_order_and_one_open_handoff_per_conversation(url) -> None:
    first, new = request_handoff(url, "web-1", "web", topic="procedure:passport",
                                 last_turns=[("citizen", "hộ chiếu, sđt 0912345678"),
                                             ("assistant", "Lệ phí …")])
    again, new_again = request_handoff(url, "web-1", "web")
    second, _ = request_handoff(url, "zalo:9", "zalo")
    assert new and not new_again and again.id == first.id
    assert (queue_position(url, first.id), queue_position(url, second.id)) == (1, 2)
    assert [m.author for m in messages(url, first.id)] == ["citizen", "assistant"]
    assert "0912345678" not in messages(url, first.id)[0].text
    assert [h.id for h in waiting_and_held(url)] == [first.id, second.id]


def test_one_staff_member_holds_it_and_only_they_reply_or_end_it(url) -> None:
    handoff, _ = request_handoff(url, "web-1", "web")
    with pytest.raises(HandoffError):
        add_message(url, handoff.id, "staff", "Chào anh/chị", staff="canbo1")  # not taken yet
    held = take(url, handoff.id, "canbo1")
    assert held.status == "held" and queue_position(url, handoff.id) == 0
    with pytest.raises(HandoffError, match="canbo1"):
        take(url, handoff.id, "canbo2")
    with pytest.raises(HandoffError):
        add_message(url, handoff.id, "staff", "Tôi trả lời thay", staff="canbo2")
    reply = add_message(url, handoff.id, "staff", "Chào anh/chị", staff="canbo1")
    add_message(url, handoff.id, "citizen", "Cảm ơn")
    assert [m.text for m in messages(url, handoff.id, after=reply.id)] == ["Cảm ơn"]
    with pytest.raises(HandoffError):
        end(url, handoff.id, "canbo2", "returned")
    assert end(url, handoff.id, "canbo1", "returned").status == "returned"
    assert open_handoff(url, "web-1") is None
    with pytest.raises(HandoffError):
        add_message(url, handoff.id, "citizen", "còn đó không?")
    assert request_handoff(url, "web-1", "web")[1]  # a new request after the end is new


def test_nobody_taking_it_in_time_expires_it(url) -> None:
    handoff, _ = request_handoff(url, "web-1", "web")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=31)
    assert expire_waiting(url, dt.timedelta(minutes=30),
                          now=later - dt.timedelta(minutes=2)) == []
    [expired] = expire_waiting(url, dt.timedelta(minutes=30), now=later)
    assert expired.id == handoff.id and expired.status == "expired"
    with pytest.raises(HandoffError):
        take(url, handoff.id, "canbo1")


def test_two_staff_members_taking_at_the_same_moment_one_gets_it(url) -> None:
    """Eight staff members press "Nhận" together: exactly one holds the conversation, the
    others are told it is held (SQLite ignores SELECT … FOR UPDATE; the update decides)."""
    import threading

    handoff, _ = request_handoff(url, "web-race", "web")
    start = threading.Barrier(8)
    won: list[str] = []
    refused: list[str] = []

    def press(name: str) -> None:
        start.wait()
        try:
            take(url, handoff.id, name)
            won.append(name)
        except HandoffError:
            refused.append(name)

    threads = [threading.Thread(target=press, args=(f"canbo{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(refused) == 7
    assert get_handoff(url, handoff.id).taken_by == won[0]


def test_a_conversation_taken_while_it_expires_stays_with_its_staff_member(
    url, monkeypatch
) -> None:
    """A staff member takes it between the expiry's query and its update: it is not expired
    and gets no farewell."""
    import handoff.queue as queue

    late, _ = request_handoff(url, "web-late", "web")
    nobody, _ = request_handoff(url, "web-nobody", "web")
    found = queue._waiting_before

    def taken_meanwhile(session, cutoff):
        ids = found(session, cutoff)
        take(url, late.id, "canbo1")
        return ids

    monkeypatch.setattr(queue, "_waiting_before", taken_meanwhile)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=31)
    expired = expire_waiting(url, dt.timedelta(minutes=30), now=later, farewell="Hẹn gặp lại")
    assert [h.id for h in expired] == [nobody.id]
    assert get_handoff(url, late.id).status == "held"
    assert [m.author for m in messages(url, late.id)] == []
    assert [m.text for m in messages(url, nobody.id)] == ["Hẹn gặp lại"]


def test_ending_a_waiting_conversation_a_colleague_took_is_refused(url) -> None:
    handoff, _ = request_handoff(url, "web-1", "web")
    take(url, handoff.id, "canbo2")
    with pytest.raises(HandoffError, match="canbo2"):
        end(url, handoff.id, "canbo1", "closed")
    assert get_handoff(url, handoff.id).status == "held"
    closed = end(url, handoff.id, "canbo2", "closed")
    assert closed.status == "closed" and closed.taken_by == "canbo2" and closed.ended_at
