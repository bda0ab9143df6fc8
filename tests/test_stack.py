"""The stack supervisor reports a dying child and refuses busy ports (no Rasa needed)."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import stack as stack_module  # noqa: E402  (scripts/ is not a package)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_server(name: str) -> object:
    """A child that serves HTTP on a free port until stopped; ready when it answers."""
    port = free_port()
    return stack_module.Service(
        name,
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        "127.0.0.1",
        port,
        lambda: stack_module._get_json(f"http://127.0.0.1:{port}/")[0] != 0,
    )


def exiting(name: str, code: int) -> object:
    """A child that exits with ``code`` at once (ready as soon as it is started)."""
    return stack_module.Service(
        name, [sys.executable, "-c", f"raise SystemExit({code})"], "127.0.0.1", free_port(),
        lambda: True,
    )


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
    server = http_server("http")
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


def test_the_gateway_reads_the_conversations_where_rasa_keeps_them(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TROLY_DEV_MODE", "1")
    monkeypatch.setenv("TROLY_TRACKER_DB", str(tmp_path / "tracker.db"))
    embedded = stack_module.Stack("unused.tar.gz")
    gateway = next(s for s in embedded.services if s.name == "gateway")
    assert gateway.env["TROLY_TRACKER_DATABASE_URL"] == f"sqlite:///{tmp_path / 'tracker.db'}"
    pg = "postgresql+psycopg://troly:secret@127.0.0.1:55433/troly06"
    monkeypatch.setenv("TROLY_DATABASE_URL", pg)
    scaled = stack_module.Stack("unused.tar.gz", profile="scaled")
    gateway = next(s for s in scaled.services if s.name == "gateway")
    rasa = next(s for s in scaled.services if s.name == "rasa-1")
    assert gateway.env["TROLY_TRACKER_DATABASE_URL"] == pg
    assert rasa.env["TROLY_TRACKER_DB_NAME"] == "troly06"  # the same database


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wait_for_exit(service) -> None:
    service.process.wait(timeout=10)


def test_a_crashed_child_is_restarted_with_backoff_and_the_others_keep_running(
    tmp_path: Path,
) -> None:
    steady = http_server("steady")
    crashing = exiting("crashing", 7)
    stack = stack_with([steady, crashing])
    stack.start(timeout=30)
    clock, reports = FakeClock(), []
    status_file = tmp_path / "supervisor.json"
    supervisor = stack_module.Supervisor(
        stack, status_file=status_file, report=reports.append, clock=clock
    )
    try:
        wait_for_exit(crashing)
        supervisor.check()  # noticed: a restart is due after the first backoff (1 s)
        assert "crashing exited with code 7" in reports[-1]
        first = crashing.process
        supervisor.check()
        assert crashing.process is first  # not before the delay
        clock.now += 1.0
        supervisor.check()
        assert crashing.process is not first and reports[-1] == "crashing restarted"
        assert steady.exit_code() is None  # never stopped because another died

        wait_for_exit(crashing)
        supervisor.check()
        assert supervisor.children[1].backoff(clock.now) == 2.0  # grows after each restart
        status = json.loads(status_file.read_text())["children"]
        assert status["crashing"] == {
            "state": "restarting",
            "restarts": 1,
            "last_exit_code": 7,
            "crash_loop": False,
        }
        assert status["steady"]["state"] == "running"
    finally:
        stack.stop()


def test_a_crash_loop_is_reported_plainly(tmp_path: Path) -> None:
    crashing = exiting("crashing", 1)
    stack = stack_with([crashing])
    stack.start(timeout=30)
    clock, reports = FakeClock(), []
    supervisor = stack_module.Supervisor(
        stack, status_file=tmp_path / "s.json", report=reports.append, clock=clock
    )
    try:
        for _ in range(stack_module.RESTARTS_FOR_A_LOOP):
            wait_for_exit(crashing)
            supervisor.check()
            clock.now += stack_module.MAX_BACKOFF
            supervisor.check()
        wait_for_exit(crashing)
        supervisor.check()
        assert reports[-1].startswith("CRASH LOOP: crashing exited with code 1")
        assert supervisor.status()["crashing"]["crash_loop"] is True
    finally:
        stack.stop()


def test_background_supervision_restarts_a_killed_child_and_a_deliberate_restart_is_not_raced(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TROLY_SUPERVISOR_STATUS_FILE", str(tmp_path / "supervisor.json"))
    server = http_server("server")
    stack = stack_with([server])
    stack.start(timeout=30)
    supervisor = stack.supervise(interval=0.1)
    try:
        first = server.process
        os.kill(first.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not (server.process is not first and server.ready()):
            assert time.monotonic() < deadline, "the killed child was not started again"
            time.sleep(0.1)
        assert supervisor.status()["server"]["restarts"] == 1
        assert json.loads(stack.status_file.read_text())["children"]["server"]["restarts"] == 1

        second = server.process
        stack.restart("server", timeout=30)  # stopped on purpose: not counted as a crash
        time.sleep(0.5)
        assert server.process is not second and server.exit_code() is None
        assert supervisor.status()["server"]["restarts"] == 1
    finally:
        stack.stop()
    assert not stack.status_file.exists()  # a stopped supervisor leaves no stale status
