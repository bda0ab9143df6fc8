"""End-to-end: officials log in at the gateway, the action server verifies the signed claim.

Figures come from the seed reports (or, without them, tests/e2e/data/figures.csv), loaded into
the stack's own database by conftest.prepare_database.
"""

from __future__ import annotations

import os

import httpx
import pytest

pytestmark = pytest.mark.stack

OFFICIAL = (
    os.environ.get("TROLY_DEMO_OFFICIAL_USER", "canbo.hagiang"),
    os.environ.get("TROLY_DEMO_OFFICIAL_PASSWORD", "DemoHaGiang@2025"),
)
STAFF = (
    os.environ.get("TROLY_DEMO_STAFF_USER", "motcua"),
    os.environ.get("TROLY_DEMO_STAFF_PASSWORD", "DemoMotCua@2025"),
)
QUESTION = "Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?"
RANK_QUESTION = "Hà Giang xếp thứ mấy về kích hoạt định danh điện tử?"


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def login(gateway: httpx.Client, user: tuple[str, str]) -> str:
    response = gateway.post("/api/auth/login", json={"username": user[0], "password": user[1]})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture(scope="module")
def official_token(gateway: httpx.Client) -> str:
    return login(gateway, OFFICIAL)


class Conversation:
    def __init__(self, gateway: httpx.Client, sender: str, token: str | None = None) -> None:
        self.gateway, self.sender, self.token = gateway, sender, token

    def say(self, message: str, **extra) -> list[dict]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        body = {"sender_id": self.sender, "message": message, **extra}
        response = self.gateway.post("/api/chat", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()["messages"]


def test_official_gets_the_figure_with_date_and_source(gateway, official_token) -> None:
    chat = Conversation(gateway, "e2e-official-value", official_token)
    reply = texts(chat.say(QUESTION))
    assert "96,9%" in reply and "1.818/1.876" in reply
    assert "03/12/2023" in reply and "nguồn:" in reply
    assert "Tuyên Quang" in reply  # Hà Giang has since merged


def test_rank_with_date_and_follow_up(gateway, official_token) -> None:
    chat = Conversation(gateway, "e2e-official-rank", official_token)
    reply = texts(chat.say(RANK_QUESTION))
    # the rank as published: 15/63 both on 30/06/2023 and on 30/11/2023 (there against
    # the assigned target, and said so)
    assert "xếp thứ 15/63" in reply and ("30/06/2023" in reply or "30/11/2023" in reply)
    follow = texts(chat.say("còn Hà Nội thì sao?"))
    assert "Hà Nội" in follow and "kích hoạt" in follow


def test_the_same_question_without_a_token_is_refused(gateway, official_token) -> None:
    chat = Conversation(gateway, "e2e-citizen-indicator")
    for question in (QUESTION, RANK_QUESTION):
        reply = texts(chat.say(question))
        assert "đăng nhập" in reply and "96,9" not in reply and "15/63" not in reply
    # a claim smuggled in the body is not metadata the gateway forwards
    reply = texts(chat.say(QUESTION, metadata={"identity_claim": "v1.e30.x", "role": "admin"}))
    assert "96,9" not in reply


def test_bad_or_expired_token_is_401_with_a_vietnamese_message(gateway) -> None:
    response = gateway.post(
        "/api/chat",
        json={"sender_id": "e2e-bad-token", "message": QUESTION},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert response.status_code == 401
    assert "đăng nhập" in response.json()["error"]["message"].lower()


def test_chart_is_served_as_an_image(gateway, official_token) -> None:
    chat = Conversation(gateway, "e2e-official-chart", official_token)
    messages = chat.say("biểu đồ so sánh tỷ lệ kích hoạt định danh điện tử của Hà Giang và Hà Nội")
    images = [m["image"] for m in messages if m.get("image")]
    assert images and images[0].startswith("/api/charts/")
    png = gateway.get(images[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_bad_input_from_an_official(gateway, official_token) -> None:
    chat = Conversation(gateway, "e2e-official-bad", official_token)
    reply = texts(chat.say("tỷ lệ dvc trực tuyến của tỉnh Atlantis"))
    assert "không tìm thấy tỉnh" in reply.lower()
    assert "1850" in texts(chat.say("tỷ lệ kích hoạt định danh của Hà Giang năm 1850"))


def test_one_stop_staff_get_detailed_procedures_but_no_figures(gateway) -> None:
    chat = Conversation(gateway, "e2e-one-stop-staff", login(gateway, STAFF))
    reply = texts(chat.say("lệ phí cấp đổi thẻ căn cước"))
    assert "Cách nộp, thời hạn và lệ phí:" in reply and "Thay đổi năm 2025" in reply
    reply = texts(chat.say(QUESTION))
    assert "không có quyền xem số liệu" in reply and "96,9" not in reply


def test_form_asks_for_what_is_missing(gateway, official_token) -> None:
    chat = Conversation(gateway, "e2e-official-form", official_token)
    messages = chat.say("cho tôi xem số liệu đề án 06 của Hà Giang")
    buttons = [b for m in messages for b in m.get("buttons") or []]
    titles = [b["title"] for b in buttons]
    assert "chỉ tiêu nào" in texts(messages)
    choice = next(b for b in buttons if "dịch vụ công trực tuyến" in b["title"])
    reply = texts(chat.say(choice["payload"]))
    assert "96,9%" in reply and "nguồn:" in reply, titles


def test_admin_is_asked_for_the_province(gateway, official_token) -> None:
    admin = (os.environ.get("TROLY_DEMO_ADMIN_USER", "quantri"),
             os.environ.get("TROLY_DEMO_ADMIN_PASSWORD", "DemoQuanTri@2025"))
    chat = Conversation(gateway, "e2e-admin-form", login(gateway, admin))
    assert "tỉnh, thành phố nào" in texts(chat.say("tỷ lệ kích hoạt định danh điện tử"))
    assert "chưa nhận ra tỉnh" in texts(chat.say("Atlantis"))
    reply = texts(chat.say("Hà Giang"))
    assert "83,7%" in reply and "30/06/2023" in reply and "125,1" not in reply


def test_a_rate_against_the_assigned_target_is_its_own_measure(gateway, official_token) -> None:
    """"so với chỉ tiêu" asks for achievement against the target (125,1%), not the share of
    registered accounts activated (83,7%); the two are never one series."""
    chat = Conversation(gateway, "e2e-official-target", official_token)
    reply = texts(chat.say("tỷ lệ kích hoạt định danh điện tử của Hà Giang so với chỉ tiêu giao"))
    assert "125,1%" in reply and "30/11/2023" in reply and "83,7" not in reply
