"""Conversations outlive the Rasa process: Rasa's SQL tracker store (bot/endpoints.yml)."""

from __future__ import annotations

import os

import pytest

from tests.e2e.test_officials import Conversation, login, texts

pytestmark = pytest.mark.stack


def test_a_form_half_filled_continues_after_rasa_restarts(stack, gateway) -> None:
    admin = login(gateway, (os.environ.get("TROLY_DEMO_ADMIN_USER", "quantri"),
                            os.environ.get("TROLY_DEMO_ADMIN_PASSWORD", "DemoQuanTri@2025")))
    chat = Conversation(gateway, "e2e-restart-form", admin)
    assert "tỉnh, thành phố nào" in texts(chat.say("tỷ lệ kích hoạt định danh điện tử"))

    stack.restart("rasa")  # the in-memory tracker would be gone now

    reply = texts(chat.say("Hà Giang"))
    assert "83,7%" in reply and "30/06/2023" in reply
