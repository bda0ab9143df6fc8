"""The scaled profile under faults (`make bench-faults`, also run by `make bench-topology`).

Starts the scaled topology under its supervisor and keeps 20 senders talking to the gateway:
officials filling the indicator form (two turns whose second answer exists only if the first
turn's state survived) and citizens asking questions. Meanwhile a Rasa replica and then an
action server are killed with SIGKILL. A sender that gets a retryable refusal (503 with
Retry-After) sends the message again, as the widget's user would.

Every turn ends as one of: answered (200 with a reply), refused-retryable (each 503/429 with
the common error body, counted once per attempt) or lost (no response, a 5xx without the
error body, an empty reply: none may happen). Prints per fault the seconds until the killed
process was healthy again, how long the senders it served were asked to resend, and how many
interrupted form conversations continued with their state.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from run_all import messages  # noqa: E402
from stack import SCALED_REPLICAS, Stack  # noqa: E402  (scripts/ is not a package)

from channels.rasa_client import replica_order  # noqa: E402

SENDERS = 20
FORM_FIRST, FORM_ASKS = "tỷ lệ kích hoạt định danh điện tử", "tỉnh, thành phố nào"
FORM_SECOND, FORM_ANSWER = "Hà Giang", "83,7%"
RESEND_LIMIT = 30  # a user who keeps being asked to retry gives up after this many sends
RESEND_WAIT_CAP = 2.0  # seconds; Retry-After says 5, the bench does not need to idle that long
ADMIN = (
    os.environ.get("TROLY_DEMO_ADMIN_USER", "quantri"),
    os.environ.get("TROLY_DEMO_ADMIN_PASSWORD", "DemoQuanTri@2025"),
)
RASA_URLS = [f"http://127.0.0.1:{rasa}" for rasa, _ in SCALED_REPLICAS]


@dataclass
class Tally:
    """What happened to every turn and form conversation of the run."""

    answered: int = 0
    refused_retryable: int = 0
    lost: list[str] = field(default_factory=list)
    gave_up: int = 0
    forms: int = 0
    forms_interrupted: int = 0
    forms_continued: int = 0
    forms_state_lost: list[str] = field(default_factory=list)
    refused_at: list[tuple[float, str]] = field(default_factory=list)  # (time, sender)
    kills: list[float] = field(default_factory=list)  # when each fault was injected

    def spans_a_kill(self, start: float, end: float) -> bool:
        return any(start <= t <= end for t in self.kills)


def replica_of(sender: str) -> int:
    """1 or 2: the Rasa replica (and so the action server) the gateway prefers for ``sender``."""
    return RASA_URLS.index(replica_order(sender, RASA_URLS)[0]) + 1


async def turn(client: httpx.AsyncClient, tally: Tally, sender: str, text: str,
               headers: dict[str, str]) -> tuple[str | None, bool]:
    """Sends until answered (or the resend limit); (reply text or None, was it refused)."""
    refused = False
    for _ in range(RESEND_LIMIT):
        try:
            response = await client.post("/api/chat", headers=headers,
                                         json={"sender_id": sender, "message": text})
        except httpx.HTTPError as exc:
            tally.lost.append(f"{sender}: {type(exc).__name__}")
            return None, refused
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        if response.status_code == 200:
            reply = "\n".join(m.get("text") or "" for m in body.get("messages", []))
            if not reply.strip():
                tally.lost.append(f"{sender}: empty 200")
                return None, refused
            tally.answered += 1
            return reply, refused
        if response.status_code in (429, 503) and body.get("error") and (
            response.headers.get("Retry-After")
        ):
            tally.refused_retryable += 1
            tally.refused_at.append((time.monotonic(), sender))
            refused = True
            await asyncio.sleep(min(float(response.headers["Retry-After"]), RESEND_WAIT_CAP))
            continue
        tally.lost.append(f"{sender}: HTTP {response.status_code} {response.text[:80]}")
        return None, refused
    tally.gave_up += 1
    return None, refused


async def sender_loop(client: httpx.AsyncClient, tally: Tally, worker: int, token: str,
                      texts: list[str], stop: asyncio.Event) -> None:
    rng = random.Random(worker)
    official = {"Authorization": f"Bearer {token}"}
    k = 0
    while not stop.is_set():
        k += 1
        sender = f"fault-{os.getpid()}-{worker}-{k}"
        if worker % 2 == 0:  # half the senders are officials filling the form
            tally.forms += 1
            began = time.monotonic()
            first, refused_1 = await turn(client, tally, sender, FORM_FIRST, official)
            if first is None or FORM_ASKS not in first:
                continue
            second, refused_2 = await turn(client, tally, sender, FORM_SECOND, official)
            interrupted = refused_1 or refused_2 or tally.spans_a_kill(began, time.monotonic())
            tally.forms_interrupted += interrupted
            if second is None:
                continue
            if FORM_ANSWER in second:
                tally.forms_continued += interrupted
            else:
                tally.forms_state_lost.append(f"{sender}: {second[:80]}")
        else:
            await turn(client, tally, sender, rng.choice(texts), {})


def kill(stack: Stack, name: str) -> float:
    service = next(s for s in stack.services if s.name == name)
    os.killpg(service.process.pid, signal.SIGKILL)
    return time.monotonic()


async def wait_restarted(stack: Stack, name: str, killed_at: float, limit: float) -> float:
    """Seconds from the kill until the supervisor's new process is healthy."""
    service = next(s for s in stack.services if s.name == name)
    while time.monotonic() - killed_at < limit:
        if service.exit_code() is None and await asyncio.to_thread(service.ready):
            return time.monotonic() - killed_at
        await asyncio.sleep(0.5)
    raise RuntimeError(f"{name} was not healthy {limit:.0f} s after it was killed")


def refusals_window(tally: Tally, replica: int, since: float, until: float) -> dict:
    """The refusals the senders of ``replica`` met between ``since`` and ``until``: how many,
    and seconds from ``since`` to the last one (how long its users were asked to resend)."""
    times = [t for t, sender in tally.refused_at
             if since <= t <= until and replica_of(sender) == replica]
    return {"refusals": len(times),
            "refused_until_s": round(max(times) - since, 1) if times else 0.0}


async def fault_run(stack: Stack, texts: list[str], settle: float) -> dict:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as client:
        login = await client.post("/api/auth/login",
                                  json={"username": ADMIN[0], "password": ADMIN[1]})
        login.raise_for_status()
        token = login.json()["access_token"]
        tally, stop = Tally(), asyncio.Event()
        workers = [asyncio.create_task(sender_loop(client, tally, w, token, texts, stop))
                   for w in range(SENDERS)]
        faults = []
        started = time.monotonic()
        await asyncio.sleep(settle)
        for name, replica in (("rasa-1", 1), ("actions-2", 2)):
            print(f"bench-faults: SIGKILL {name} under load…", flush=True)
            killed_at = kill(stack, name)
            tally.kills.append(killed_at)
            back = await wait_restarted(stack, name, killed_at, limit=600)
            await asyncio.sleep(settle)
            faults.append({
                "killed": name,
                "process_healthy_after_s": round(back, 1),
                **refusals_window(tally, replica, killed_at, time.monotonic()),
            })
        stop.set()
        await asyncio.gather(*workers)
        elapsed = time.monotonic() - started
    return {
        "senders": SENDERS,
        "seconds": round(elapsed, 1),
        "turns_answered": tally.answered,
        "refused_retryable": tally.refused_retryable,
        "lost": tally.lost,
        "gave_up_after_resends": tally.gave_up,
        "forms": tally.forms,
        "forms_interrupted": tally.forms_interrupted,
        "forms_continued_with_state": tally.forms_continued,
        "forms_state_lost": tally.forms_state_lost,
        "faults": faults,
    }


def rasa_load_seconds(stack: Stack) -> float:
    """How long one Rasa replica takes from start to a loaded model (the recovery target)."""
    started = time.monotonic()
    stack.restart("rasa-2")
    return time.monotonic() - started


def report(result: dict) -> None:
    print(f"\nfault run, scaled profile: {result['senders']} senders for {result['seconds']} s")
    print(f"  turns answered {result['turns_answered']}, refused with a retryable 503 "
          f"{result['refused_retryable']} (sent again), lost {len(result['lost'])}, "
          f"gave up after {RESEND_LIMIT} sends {result['gave_up_after_resends']}")
    print(f"  official forms {result['forms']}: interrupted {result['forms_interrupted']}, "
          f"continued with their state {result['forms_continued_with_state']}, state lost "
          f"{len(result['forms_state_lost'])}")
    for fault in result["faults"]:
        print(f"  SIGKILL {fault['killed']}: healthy again after "
              f"{fault['process_healthy_after_s']} s; its senders refused "
              f"{fault['refusals']} times, the last {fault['refused_until_s']} s after the kill")
    print(f"  Rasa model load (restart of a replica, no load): "
          f"{result['rasa_model_load_s']:.1f} s")
    for line in result["lost"][:10] + result["forms_state_lost"][:10]:
        print(f"  ! {line}")


def run(database_url: str, settle: float) -> dict:
    os.environ["TROLY_DATABASE_URL"] = database_url
    os.environ["TROLY_RATE_LIMIT_MESSAGES"] = "0"
    stack = Stack(str(ROOT / "models" / "current.tar.gz"), gateway_port=8767, profile="scaled")
    print("bench-faults: starting the scaled profile…", flush=True)
    stack.start()
    stack.supervise()
    try:
        result = asyncio.run(fault_run(stack, messages(), settle))
        result["rasa_model_load_s"] = round(rasa_load_seconds(stack), 1)
    finally:
        stack.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settle", type=float, default=15.0,
                        help="seconds of load before the first fault and after each recovery")
    parser.add_argument("--json", type=Path, default=ROOT / "results" / "bench-faults.json")
    args = parser.parse_args()
    database_url = os.environ.get("TROLY_SCALED_DATABASE_URL")
    if not database_url:
        print("bench-faults: TROLY_SCALED_DATABASE_URL is not set (use make bench-faults)")
        return 2
    result = run(database_url, args.settle)
    report(result)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    silent = len(result["lost"]) + len(result["forms_state_lost"])
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main())
