"""The embedded and the scaled topology side by side (`make bench-topology`).

Starts each profile in turn (scripts/stack.py), warms it up, then sends realistic messages
through the gateway with 1, 20 and 50 concurrent senders, and prints turns/s, p50/p95 and the
resident memory of every process. The scaled profile needs PostgreSQL (TROLY_DATABASE_URL;
the make target starts it). Loopback only; bounded in count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
from run_all import bench_chat, messages, rss_mib  # noqa: E402
from stack import Stack  # noqa: E402  (scripts/ is not a package)

LOADS = ((1, 30), (20, 10), (50, 6))  # (concurrent senders, messages each)


def measure(profile: str, database_url: str | None, texts: list[str]) -> dict:
    if database_url:
        os.environ["TROLY_DATABASE_URL"] = database_url
    else:
        os.environ.pop("TROLY_DATABASE_URL", None)
    stack = Stack(str(ROOT / "models" / "current.tar.gz"), gateway_port=8767, profile=profile)
    print(f"bench-topology: starting the {profile} profile…", flush=True)
    stack.start()
    try:
        asyncio.run(bench_chat(stack.gateway_url, texts, 2, 5))  # warm-up
        loads = {
            senders: asyncio.run(bench_chat(stack.gateway_url, texts, senders, each))
            for senders, each in LOADS
        }
        rss = {s.name: round(rss_mib(s.process.pid), 1) for s in stack.services}
    finally:
        stack.stop()
    return {"loads": loads, "rss_mib": rss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=ROOT / "results" / "bench-topology.json")
    args = parser.parse_args()
    os.environ["TROLY_RATE_LIMIT_MESSAGES"] = "0"
    scaled_db = os.environ.get("TROLY_SCALED_DATABASE_URL")
    if not scaled_db:
        print("bench-topology: TROLY_SCALED_DATABASE_URL is not set (use make bench-topology)")
        return 2
    texts = messages()
    results = {
        "embedded": measure("embedded", None, texts),
        "scaled": measure("scaled", scaled_db, texts),
        "cpus": os.cpu_count(),
    }
    print(f"\n{'senders':>8} | {'embedded: turns/s  p50  p95 (ms)  errors':42} | scaled")
    for senders, _ in LOADS:
        cells = []
        for profile in ("embedded", "scaled"):
            r = results[profile]["loads"][senders]
            cells.append(f"{r['throughput_rps']:6.1f}  {r['p50_ms']:7.1f}  {r['p95_ms']:7.1f}"
                         f"  {r['errors']:3d}")
        print(f"{senders:>8} | {cells[0]:42} | {cells[1]}")
    for profile in ("embedded", "scaled"):
        rss = results[profile]["rss_mib"]
        print(f"rss {profile}: " + "  ".join(f"{k}={v}" for k, v in rss.items())
              + f"  total={sum(rss.values()):.0f} MiB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
