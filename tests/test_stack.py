"""The stack supervisor reports a dying child and refuses busy ports (no Rasa needed)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import stack as stack_module  # noqa: E402  (scripts/ is not a package)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_with(services: list) -> object:
    os.environ.setdefault("TROLY_DEV_MODE", "1")  # the supervisor's tests use dev secrets
    stack = stack_module.Stack("unused.tar.gz")
    stack.services = services
    return stack


def test_child_that_dies_while_starting_is_reported() -> None:
    dying = stack_module.Service(
        "dying",
        [sys.executable, "-c", "print('cannot load model'); raise SystemExit(3)"],
        "127.0.0.1",
        free_port(),
        lambda: False,
    )
    with pytest.raises(
        stack_module.StackError, match=r"dying exited with code 3[\s\S]*cannot load model"
    ):
        stack_with([dying]).start(timeout=30)


def test_healthy_child_is_ready_and_stopped() -> None:
    port = free_port()
    server = stack_module.Service(
        "http",
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        "127.0.0.1",
        port,
        lambda: stack_module._get_json(f"http://127.0.0.1:{port}/")[0] != 0,
    )
    stack = stack_with([server])
    stack.start(timeout=30)
    assert not stack.dead()
    stack.stop()
    assert server.exit_code() is not None


def test_busy_port_is_refused_before_anything_starts() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        service = stack_module.Service(
            "busy", [sys.executable, "-c", "pass"], "127.0.0.1", port, lambda: True
        )
        with pytest.raises(stack_module.StackError, match="already in use"):
            stack_with([service]).start(timeout=5)
        assert service.process is None


def test_outside_dev_mode_the_rasa_token_must_be_set(monkeypatch) -> None:
    monkeypatch.delenv("TROLY_DEV_MODE", raising=False)
    monkeypatch.delenv("TROLY_RASA_TOKEN", raising=False)
    try:
        stack_module.Stack("unused.tar.gz")
    except stack_module.StackError as exc:
        assert "TROLY_RASA_TOKEN" in str(exc)
    else:
        raise AssertionError("a stack without a Rasa token outside dev mode must not start")
