"""Starts, supervises and stops the three local services: action server, Rasa, gateway.

    python scripts/stack.py run      # start all, wait until healthy, print URLs, Ctrl-C stops all
    python scripts/stack.py check    # exit 0 when a running stack is healthy

Used as a library by tests and benchmarks (``with Stack(...) as stack: ...``).
Readiness is decided by health endpoints, never by sleeping: Rasa is ready when
/status names a loaded model, the action server when /health/stores answers, the
gateway when /healthz says every component is ok. Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "log"
RASA_BIN = str(ROOT / ".venv-rasa" / "bin" / "rasa")
# the action server's worker threads each got a glibc malloc arena: 2.2 GiB resident instead
# of 1.1 GiB after a 50-sender load (docs/benchmarks.md); two arenas are enough
ACTIONS_ENV = {"MALLOC_ARENA_MAX": "2"}
APP_PYTHON = str(ROOT / ".venv-app" / "bin" / "python")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if env.get("TROLY_DEV_MODE"):  # `make run`, the tests: development secrets allowed
        from core.config import DEV_RASA_TOKEN

        env.setdefault("TROLY_RASA_TOKEN", DEV_RASA_TOKEN)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["PYTHONPATH"] = str(ROOT) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("ANONYMIZED_TELEMETRY", "False")
    # Rasa's SQL tracker store (bot/endpoints.yml): conversations survive a restart
    tracker_db = Path(env.get("TROLY_TRACKER_DB") or ROOT / "var" / "rasa" / "tracker.db")
    tracker_db.parent.mkdir(parents=True, exist_ok=True)
    env["TROLY_TRACKER_DB"] = str(tracker_db.resolve())
    return env


def _get_json(url: str, timeout: float = 2.0) -> tuple[int, dict]:
    """(HTTP status, JSON body or {}); status 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except OSError:
        return 0, {}
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        body = {}
    return status, body if isinstance(body, dict) else {}


def _port_busy(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class Service:
    """One child process and how to tell that it is ready."""

    name: str
    command: list[str]
    host: str
    port: int
    ready: Callable[[], bool]
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)
    # this service's own settings on top of the stack's environment
    env: dict[str, str] = field(default_factory=dict)
    # started once every service of a lower tier is ready (infrastructure first)
    tier: int = 1

    def __post_init__(self) -> None:
        self.log_path = LOG_DIR / f"{self.name}.log"

    def start(self, env: dict[str, str]) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - owned by the child for its lifetime
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env={**env, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


# restart backoff: 1 s, 2 s, 4 s … at most MAX_BACKOFF; RESTARTS_FOR_A_LOOP restarts within
# LOOP_WINDOW seconds is a crash loop (reported; restarts go on at the longest backoff)
MAX_BACKOFF = 60.0
RESTARTS_FOR_A_LOOP = 5
LOOP_WINDOW = 300.0
STATUS_FILE = ROOT / "var" / "run" / "supervisor.json"


@dataclass
class Supervised:
    """What the supervisor knows of one child: its restarts and when the next is due."""

    service: Service
    restarts: list[float] = field(default_factory=list)  # monotonic times
    last_exit: int | None = None
    due: float | None = None  # when a dead child is started again

    def recent_restarts(self, now: float) -> int:
        return len([t for t in self.restarts if now - t <= LOOP_WINDOW])

    def backoff(self, now: float) -> float:
        """1 s after a first crash, doubling with each recent restart (a child that has run
        well for a while starts again quickly)."""
        return min(MAX_BACKOFF, 2.0 ** self.recent_restarts(now))

    def in_crash_loop(self, now: float) -> bool:
        return self.recent_restarts(now) >= RESTARTS_FOR_A_LOOP


class Supervisor:
    """Keeps every child running: a child that exits is started again after a growing delay
    (the others are never touched), each restart is logged, and the state is written to
    ``status_file`` for the gateway's /healthz."""

    def __init__(
        self,
        stack: Stack,
        *,
        status_file: Path = STATUS_FILE,
        report: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stack = stack
        self.children = [Supervised(s) for s in stack.services]
        self.status_file = status_file
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.report = report
        self.clock = clock

    def check(self) -> None:
        """One supervision step: notice exits, restart those whose delay has passed."""
        with self.stack.lock:  # never while the stack restarts or stops a child on purpose
            self._check()

    def _check(self) -> None:
        now = self.clock()
        for child in self.children:
            service = child.service
            code = service.exit_code()
            if code is not None and child.due is None:
                child.last_exit = code
                child.due = now + child.backoff(now)
                loop = child.in_crash_loop(now)
                self.report(
                    f"{'CRASH LOOP: ' if loop else ''}{service.name} exited with code {code}; "
                    f"restarting in {child.backoff(now):.0f} s (restarts so far: "
                    f"{len(child.restarts)}); last log lines ({service.log_path}):\n"
                    f"{service.log_tail(10)}"
                )
            elif child.due is not None and now >= child.due:
                service.start(self.stack.env)
                child.restarts.append(now)
                child.due = None
                self.report(f"{service.name} restarted")
        self.write_status(now)

    def run_in_background(self, interval: float = 1.0) -> None:
        """Checks every ``interval`` seconds on a daemon thread until ``stop``."""
        def loop() -> None:
            while not self._stopping.wait(interval):
                self.check()

        self._thread = threading.Thread(target=loop, name="supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stops checking (the children keep running) and removes the status file."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.status_file.unlink(missing_ok=True)

    def status(self, now: float | None = None) -> dict[str, dict]:
        now = self.clock() if now is None else now
        return {
            c.service.name: {
                "state": "restarting" if c.due is not None else "running",
                "restarts": len(c.restarts),
                "last_exit_code": c.last_exit,
                "crash_loop": c.in_crash_loop(now),
            }
            for c in self.children
        }

    def write_status(self, now: float) -> None:
        self.status_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.status_file.with_suffix(".tmp")
        body = {"updated": time.time(), "children": self.status(now)}
        temporary.write_text(json.dumps(body), encoding="utf-8")
        temporary.replace(self.status_file)


class StackError(RuntimeError):
    """A service failed to start or died; the message says which and shows its log."""


def actions_service(name: str, port: int, env: dict[str, str] | None = None) -> Service:
    """An action server on loopback, ready when its knowledge base is loaded (the route
    answers as soon as the server listens, also when the knowledge base failed to load)."""
    return Service(
        name,
        [APP_PYTHON, "-m", "actions.server", "--port", str(port)],
        "127.0.0.1",
        port,
        lambda: _get_json(f"http://127.0.0.1:{port}/health/stores")[1]
        .get("knowledge", {}).get("status") == "ok",
        env={**(env or {}), **ACTIONS_ENV},
    )


def rasa_service(
    name: str, port: int, model: str, token: str, endpoints: str,
    env: dict[str, str] | None = None,
) -> Service:
    """A Rasa server on loopback, ready when /status names a loaded model."""
    return Service(
        name,
        [RASA_BIN, "run", "--model", model, "--endpoints", endpoints,
         "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1",
         "--port", str(port), "--enable-api", "--auth-token", token],
        "127.0.0.1",
        port,
        lambda: bool(
            _get_json(f"http://127.0.0.1:{port}/status?token={token}")[1].get("model_file")
        ),
        env=dict(env or {}),
    )


def gateway_service(stack: Stack, env: dict[str, str] | None = None, tier: int = 1) -> Service:
    """The gateway, ready when its /healthz says every component is ok."""
    return Service(
        "gateway",
        [APP_PYTHON, "-m", "channels"],
        stack.gateway_host,
        stack.gateway_port,
        lambda: _get_json(f"{stack.gateway_url}/healthz")[0] == 200,
        env=dict(env or {}),
        tier=tier,
    )


class Stack:
    """The three services on loopback, started and stopped together."""

    def __init__(
        self,
        model: str,
        *,
        gateway_host: str | None = None,
        gateway_port: int | None = None,
        profile: str = "embedded",
    ):
        env = _env()
        self.env = env
        token = env.get("TROLY_RASA_TOKEN")
        if not token:
            raise StackError(
                "TROLY_RASA_TOKEN is not set (outside dev mode every secret comes from the "
                "environment; set TROLY_DEV_MODE=1 on a developer's machine)"
            )
        self.gateway_host = gateway_host or env.get("TROLY_GATEWAY_HOST", "127.0.0.1")
        self.gateway_port = gateway_port or int(env.get("TROLY_GATEWAY_PORT", "8000"))
        env["TROLY_GATEWAY_HOST"], env["TROLY_GATEWAY_PORT"] = (
            self.gateway_host,
            str(self.gateway_port),
        )
        self.gateway_url = f"http://{self.gateway_host}:{self.gateway_port}"
        self.token = token
        # the supervisor's status file, read by the gateway's /healthz
        self.status_file = Path(env.setdefault("TROLY_SUPERVISOR_STATUS_FILE", str(STATUS_FILE)))
        # held by a deliberate restart or stop, and by each supervision step
        self.lock = threading.RLock()
        self.supervisor: Supervisor | None = None
        if profile == "scaled":
            self.services = scaled_services(self, model, env)
            return
        if profile != "embedded":
            raise StackError(f"unknown profile {profile!r} (embedded or scaled)")
        self.services = [
            actions_service("actions", 5055),
            rasa_service("rasa", 5005, model, token, "bot/endpoints.yml"),
            # the gateway's analytics read the conversations from Rasa's tracker store
            gateway_service(
                self, {"TROLY_TRACKER_DATABASE_URL": f"sqlite:///{env['TROLY_TRACKER_DB']}"}),
        ]

    def start(self, timeout: float = 900.0, progress: Callable[[str], None] | None = None) -> None:
        """Starts every service and returns once all are healthy; raises StackError."""
        busy = [
            f"{s.name} ({s.host}:{s.port})" for s in self.services if _port_busy(s.host, s.port)
        ]
        if busy:
            raise StackError(
                "ports already in use: " + ", ".join(busy) + " — is another stack running?"
            )
        deadline = time.monotonic() + timeout
        for tier in sorted({s.tier for s in self.services}):
            self._start_tier([s for s in self.services if s.tier == tier], deadline, progress)

    def _start_tier(
        self,
        services: list[Service],
        deadline: float,
        progress: Callable[[str], None] | None,
    ) -> None:
        for service in services:
            service.start(self.env)
        pending = list(services)
        while pending:
            for service in list(pending):
                code = service.exit_code()
                if code is not None:
                    self.stop()
                    raise StackError(
                        f"{service.name} exited with code {code} while starting; last log lines "
                        f"({service.log_path}):\n{service.log_tail()}"
                    )
                if service.ready():
                    pending.remove(service)
                    if progress:
                        progress(f"{service.name} is ready")
            if time.monotonic() > deadline:
                self.stop()
                names = ", ".join(s.name for s in pending)
                raise StackError(f"not healthy in time: {names}; see {LOG_DIR}")
            time.sleep(1.0)

    def restart(
        self, name: str, timeout: float = 600.0, env: dict[str, str] | None = None
    ) -> None:
        """Stops one service and waits until it is healthy again (the others keep running;
        if it does not come back, the stack is stopped and StackError says why). ``env``
        changes that service's own settings from now on (a test's tighter deadline)."""
        service = next(s for s in self.services if s.name == name)
        with self.lock:
            service.stop()
            service.env.update(env or {})
            self._start_tier([service], time.monotonic() + timeout, None)

    def dead(self) -> list[Service]:
        """Services that have exited."""
        return [s for s in self.services if s.exit_code() is not None]

    def supervise(self, interval: float = 1.0) -> Supervisor:
        """Starts supervising the running services in the background (`make run` and the
        end-to-end tests): a child that dies is started again while the others serve."""
        self.supervisor = Supervisor(self, status_file=self.status_file)
        self.supervisor.run_in_background(interval)
        return self.supervisor

    def stop(self) -> None:
        """Stops supervising, then the gateway first, then Rasa, then the action server."""
        if self.supervisor is not None:
            self.supervisor.stop()
            self.supervisor = None
        with self.lock:
            for service in reversed(self.services):
                service.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# The scaled topology on one machine (`make run-scaled`, docs/operations.md): Redis for Rasa's
# lock store, the chromadb server over the same index `make ingest` built, two action servers
# and two Rasa replicas sharing PostgreSQL (the application's tables and Rasa's tracker store;
# started by scripts/postgres.sh beforehand, TROLY_DATABASE_URL), and the gateway routing each
# conversation to one replica.
REDIS_PORT = 6390
CHROMA_PORT = 8001
SCALED_REPLICAS = ((5005, 5055), (5006, 5056))  # (Rasa port, its action server's port)
# Rasa's conversation lock (Redis) outlives a replica killed in the middle of a turn; with
# Rasa's 60 s default the conversation's next message, on the other replica, waited past the
# gateway's 30 s (bench/fault_run.py). Longer than any turn: actions end by 15 s.
LOCK_LIFETIME_SECONDS = 20


def scaled_services(stack: Stack, model: str, env: dict[str, str]) -> list[Service]:
    """The services of the scaled profile, infrastructure in tier 0."""
    from urllib.parse import urlparse

    database_url = env.get("TROLY_DATABASE_URL", "")
    pg = urlparse(database_url.replace("+psycopg", ""))
    if pg.scheme != "postgresql":
        raise StackError(
            "the scaled profile needs TROLY_DATABASE_URL=postgresql+psycopg://… "
            "(make run-scaled starts one with scripts/postgres.sh)"
        )
    chroma_url = f"http://127.0.0.1:{CHROMA_PORT}"
    shared = {"TROLY_CHROMA_URL": chroma_url}
    services = [
        Service(
            "redis",
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
            "127.0.0.1", REDIS_PORT, lambda: _port_busy("127.0.0.1", REDIS_PORT), tier=0,
        ),
        Service(
            "chroma",
            [str(ROOT / ".venv-app" / "bin" / "chroma"), "run", "--path",
             str(ROOT / "var" / "chroma"), "--host", "127.0.0.1", "--port", str(CHROMA_PORT)],
            "127.0.0.1", CHROMA_PORT,
            lambda: _get_json(f"{chroma_url}/api/v2/heartbeat")[0] == 200, tier=0,
        ),
    ]
    for i, (rasa_port, actions_port) in enumerate(SCALED_REPLICAS, 1):
        services.append(actions_service(f"actions-{i}", actions_port, shared))
        services.append(rasa_service(
            f"rasa-{i}", rasa_port, model, stack.token, "bot/endpoints.scaled.yml",
            env={
                "TROLY_ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
                "TROLY_TRACKER_DB_HOST": pg.hostname or "127.0.0.1",
                "TROLY_TRACKER_DB_PORT": str(pg.port or 5432),
                "TROLY_TRACKER_DB_NAME": pg.path.lstrip("/"),
                "TROLY_TRACKER_DB_USER": pg.username or "postgres",
                "TROLY_TRACKER_DB_PASSWORD": pg.password or "",
                "TROLY_REDIS_HOST": "127.0.0.1",
                "TROLY_REDIS_PORT": str(REDIS_PORT),
                "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            },
        ))
    rasa_urls = json.dumps([f"http://127.0.0.1:{r}" for r, _ in SCALED_REPLICAS])
    action_urls = json.dumps([f"http://127.0.0.1:{a}" for _, a in SCALED_REPLICAS])
    services.append(gateway_service(
        stack,
        {**shared, "TROLY_RASA_URLS": rasa_urls, "TROLY_ACTION_SERVER_URLS": action_urls,
         # Rasa's tracker store is in the same PostgreSQL database (its analytics read it)
         "TROLY_TRACKER_DATABASE_URL": database_url},
        tier=2,
    ))
    return services


def run(model: str, profile: str = "embedded") -> int:
    """Foreground mode for `make run` (and `make run-scaled`)."""
    stack = Stack(model, profile=profile)
    stopping = False

    def _stop(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    print(
        f"Starting action server, Rasa and gateway (logs in {LOG_DIR}); "
        "Rasa needs a few minutes to load…",
        flush=True,
    )
    started = time.monotonic()
    try:
        stack.start(
            progress=lambda m: print(f"  {m} ({time.monotonic() - started:.0f} s)", flush=True)
        )
    except StackError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print(
        f"\nTrợ lý 06 is up:\n"
        f"  chat API     POST {stack.gateway_url}/api/chat\n"
        f"  health       {stack.gateway_url}/healthz\n"
        f"  API docs     {stack.gateway_url}/docs\n"
        f"  Rasa         http://127.0.0.1:5005 (loopback only)\n"
        f"  actions      http://127.0.0.1:5055 (loopback only)\n"
        f"Press Ctrl-C to stop.",
        flush=True,
    )
    stack.supervise()  # a crashed child is restarted; the others keep serving
    while not stopping:
        time.sleep(0.5)
    print("Stopping…", flush=True)
    stack.stop()
    print("Stopped.", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["run", "check"])
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--profile", choices=["embedded", "scaled"],
                        default=os.environ.get("TROLY_PROFILE", "embedded"))
    args = parser.parse_args()
    if args.mode == "check":
        port = os.environ.get("TROLY_GATEWAY_PORT", "8000")
        status, body = _get_json(f"http://127.0.0.1:{port}/healthz")
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return 0 if status == 200 else 1
    return run(args.model, args.profile)


if __name__ == "__main__":
    sys.exit(main())
