"""Benchmarks of the running assistant: NLU parse latency, /api/chat latency, memory.

    make bench            (starts its own stack on loopback, then stops it)

Prints p50/p95 latency and throughput for Rasa NLU parsing (≥500 messages) and for
the public chat endpoint with 1 and 20 concurrent senders, and the resident memory
(RSS) of each process. Bounded in count and time; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack  # noqa: E402  (scripts/ is not a package)

from bot.augment import strip_markup  # noqa: E402


def messages() -> list[str]:
    """Realistic messages: the dev and test NLU sets (plain text, entity markup removed)."""
    out = []
    for name in ("dev_nlu.yml", "test_nlu.yml"):
        data = yaml.safe_load((ROOT / "tests" / "nlu" / name).read_text(encoding="utf-8"))
        for block in data["nlu"]:
            for line in block.get("examples", "").splitlines():
                text = line.strip()[2:].strip()
                if text:
                    out.append(strip_markup(text))
    return out


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/max in milliseconds."""
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "max_ms": ordered[-1] * 1000}


async def bench_nlu(texts: list[str], n: int, token: str) -> dict:
    """Sequential /model/parse calls to Rasa (HTTP on loopback included)."""
    samples = []
    async with httpx.AsyncClient(timeout=30) as client:
        started = time.perf_counter()
        for i in range(n):
            t0 = time.perf_counter()
            r = await client.post(
                "http://127.0.0.1:5005/model/parse",
                params={"token": token},
                json={"text": texts[i % len(texts)]},
            )
            r.raise_for_status()
            samples.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    return {"requests": n, **percentiles(samples), "throughput_rps": n / elapsed}


async def bench_chat(url: str, texts: list[str], senders: int, per_sender: int) -> dict:
    """Concurrent conversations through the public gateway."""
    samples: list[float] = []
    errors = 0

    async def conversation(client: httpx.AsyncClient, sender: int) -> None:
        nonlocal errors
        for i in range(per_sender):
            t0 = time.perf_counter()
            r = await client.post(
                f"{url}/api/chat",
                json={
                    "sender_id": f"bench-{senders}-{sender}",
                    "message": texts[(sender * 7 + i) % len(texts)],
                },
            )
            samples.append(time.perf_counter() - t0)
            errors += r.status_code != 200

    async with httpx.AsyncClient(timeout=120) as client:
        started = time.perf_counter()
        await asyncio.gather(*(conversation(client, s) for s in range(senders)))
        elapsed = time.perf_counter() - started
    return {
        "senders": senders,
        "requests": len(samples),
        "errors": errors,
        **percentiles(samples),
        "throughput_rps": len(samples) / elapsed,
    }


OFFICIAL_QUESTIONS = (
    "Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?",
    "Hà Giang xếp thứ mấy về kích hoạt định danh điện tử?",
    "còn Hà Nội thì sao?",
    "so sánh tỷ lệ kích hoạt vneid của Hà Nội và Hà Giang",
    "top 5 tỉnh có tỷ lệ kích hoạt định danh cao nhất",
    "biểu đồ tỷ lệ kích hoạt định danh điện tử của Hà Giang",
)


async def bench_official(url: str, rounds: int) -> dict:
    """A logged-in official's indicator questions (claim signed and verified each turn;
    one in six draws a PNG chart)."""
    user = os.environ.get("TROLY_DEMO_OFFICIAL_USER", "canbo.hagiang")
    password = os.environ.get("TROLY_DEMO_OFFICIAL_PASSWORD", "DemoHaGiang@2025")
    samples: list[float] = []
    errors = 0
    async with httpx.AsyncClient(timeout=120) as client:
        login = await client.post(f"{url}/api/auth/login",
                                  json={"username": user, "password": password})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        started = time.perf_counter()
        for i in range(rounds * len(OFFICIAL_QUESTIONS)):
            t0 = time.perf_counter()
            r = await client.post(
                f"{url}/api/chat",
                json={"sender_id": "bench-official",
                      "message": OFFICIAL_QUESTIONS[i % len(OFFICIAL_QUESTIONS)]},
                headers=headers,
            )
            samples.append(time.perf_counter() - t0)
            errors += r.status_code != 200
        elapsed = time.perf_counter() - started
    return {"requests": len(samples), "errors": errors, **percentiles(samples),
            "throughput_rps": len(samples) / elapsed}


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    total = 0
    pids = [pid]
    children_file = Path(f"/proc/{pid}/task/{pid}/children")
    if children_file.exists():
        pids += [int(p) for p in children_file.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nlu-requests", type=int, default=600)
    parser.add_argument("--chat-per-sender", type=int, default=10)
    parser.add_argument("--json", type=Path, default=ROOT / "results" / "bench.json")
    args = parser.parse_args()
    os.environ["TROLY_RATE_LIMIT_MESSAGES"] = "0"  # one bench sender sends 50 messages
    stack = Stack(str(ROOT / "models" / "current.tar.gz"), gateway_port=8766)
    print("bench: starting the stack…", flush=True)
    stack.start()
    try:
        texts = messages()
        token = stack.env["TROLY_RASA_TOKEN"]
        # warm-up: first requests pay for lazy loading
        asyncio.run(bench_chat(stack.gateway_url, texts, 1, 5))
        results = {
            "nlu_parse": asyncio.run(bench_nlu(texts, args.nlu_requests, token)),
            "chat_1_sender": asyncio.run(
                bench_chat(stack.gateway_url, texts, 1, args.chat_per_sender * 5)
            ),
            "chat_20_senders": asyncio.run(
                bench_chat(stack.gateway_url, texts, 20, args.chat_per_sender)
            ),
            "official_queries": asyncio.run(bench_official(stack.gateway_url, 5)),
            "rss_mib": {s.name: round(rss_mib(s.process.pid), 1) for s in stack.services},
            "cpus": os.cpu_count(),
        }
    finally:
        stack.stop()
    for name in ("nlu_parse", "chat_1_sender", "chat_20_senders", "official_queries"):
        r = results[name]
        print(
            f"{name:16s} n={r['requests']:4d}  p50={r['p50_ms']:7.1f} ms  "
            f"p95={r['p95_ms']:7.1f} ms  max={r['max_ms']:7.1f} ms  "
            f"{r['throughput_rps']:6.1f} req/s"
            + (f"  errors={r['errors']}" if "errors" in r else "")
        )
    print("rss_mib          " + "  ".join(f"{k}={v}" for k, v in results["rss_mib"].items()))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
