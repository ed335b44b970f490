"""Soak: mixed traffic at a steady rate against a real server on loopback, for a bounded
time, checking for errors and for memory that keeps growing.

    .venv/bin/python bench/soak.py [--minutes 10] [--rate 20] [--database sqlite|postgresql]

Prints one line per minute and a verdict; writes bench/results/soak.json. The RSS of the
server process (and its workers) is read from /proc. "Flat" means the RSS in the last
minute is within 10% of the RSS after the first minute (the warm-up: caches, the engine's
compiled model, the article index).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.live_server import ServerProcess, new_api_token  # noqa: E402

from bench.run import _postgres_url  # noqa: E402

STORIES = [
    "I'm 34 and my lower back went into spasm lifting a box",
    "Tight knot between my shoulder blades after a long week at the desk",
    "Sharp pain in my mid back when I breathe in deeply, no fever",
]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (uvicorn workers), in KiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def setup_account(client: httpx.Client) -> str:
    client.get("/")
    csrf = client.cookies["spasmcare_csrf"]
    email = f"soak-{random.random()}@example.com"
    client.post(
        "/signup", data={"csrf_token": csrf, "email": email, "password": "a soak password 1"}
    )
    page = client.post("/account/tokens", data={"csrf_token": csrf, "name": "soak"})
    return new_api_token(page.text)


def one_request(client: httpx.Client, token: str, rng: random.Random, n: int) -> int:
    auth = {"Authorization": f"Bearer {token}"}
    choice = rng.random()
    if choice < 0.15:
        return client.get("/healthz").status_code
    if choice < 0.35:
        body = {"findings": {"age": rng.randint(18, 80), "pain_lower_back": True,
                             "trigger_lifting": rng.random() < 0.5}}  # fmt: skip
        return client.post("/api/v1/assessments", json=body, headers=auth).status_code
    if choice < 0.5:
        # Spread over the past year, as a real diary is.
        when = datetime.now(UTC) - timedelta(days=rng.randrange(365), minutes=rng.randrange(1440))
        episode = {"started_at": when.isoformat(), "locations": ["mid"],
                   "intensity": rng.randint(0, 10), "notes": f"soak {n}"}  # fmt: skip
        return client.post("/api/v1/diary/episodes", json=episode, headers=auth).status_code
    if choice < 0.6:
        return client.get("/api/v1/diary/insights", headers=auth).status_code
    if choice < 0.75:
        return client.post("/api/v1/ask", json={"question": rng.choice(STORIES)}).status_code
    if choice < 0.85:
        return client.post("/api/v1/extract", json={"text": rng.choice(STORIES)}).status_code
    if choice < 0.95:
        return client.get("/articles/heat-or-ice").status_code
    return client.get("/api/v1/diary/report.pdf", headers=auth).status_code


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=20, help="requests per second")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="spasmcare-soak-"))
    url = f"sqlite:///{folder / 'soak.db'}" if args.database == "sqlite" else _postgres_url()
    if url is None:
        raise SystemExit("PostgreSQL is not reachable")
    server = ServerProcess(url, folder)
    server.start()
    assert server.process is not None
    rng = random.Random(1)
    errors: list[str] = []
    latencies: list[float] = []
    samples: list[tuple[float, int]] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(10):
            samples.append((time.monotonic(), rss_kib(server.process.pid)))  # type: ignore[union-attr]

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.monotonic()
    sampler.start()
    with httpx.Client(base_url=server.base, timeout=30) as client:
        token = setup_account(client)
    local = threading.local()
    lock = threading.Lock()

    def send(n: int, seed: int) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=server.base, timeout=30)
        before = time.perf_counter()
        try:
            status = one_request(local.client, token, random.Random(seed), n)
            problem = f"HTTP {status}" if status >= 400 else None
        except httpx.HTTPError as error:
            problem = type(error).__name__
        with lock:
            latencies.append(time.perf_counter() - before)
            if problem:
                errors.append(problem)

    # Open loop: requests leave on a fixed schedule whatever the answers' speed, so the
    # rate stays steady (a few threads carry the slow ones, like the PDF report).
    sent, next_at, minute_mark = 0, time.monotonic(), started + 60
    with ThreadPoolExecutor(max_workers=8) as pool:
        while time.monotonic() - started < args.minutes * 60:
            now = time.monotonic()
            if now < next_at:
                time.sleep(next_at - now)
            next_at += 1 / args.rate
            sent += 1
            pool.submit(send, sent, rng.randrange(2**32))
            if time.monotonic() >= minute_mark:
                minute_mark += 60
                rss = samples[-1][1] if samples else rss_kib(server.process.pid)
                print(f"{(time.monotonic() - started) / 60:5.1f} min  {sent:6d} requests  "
                      f"{len(errors)} errors  RSS {rss / 1024:7.1f} MiB", flush=True)  # fmt: skip
    stop.set()
    server.stop()
    warm = [kib for at, kib in samples if 60 <= at - started <= 90] or [samples[0][1]]
    last = [kib for at, kib in samples if at - started >= args.minutes * 60 - 60] or [
        samples[-1][1]
    ]
    growth = statistics.fmean(last) / statistics.fmean(warm) - 1
    p50, p99 = statistics.median(latencies), sorted(latencies)[int(len(latencies) * 0.99)]
    result = {
        "minutes": args.minutes,
        "rate": args.rate,
        "database": args.database,
        "requests": sent,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "rss_warm_mib": statistics.fmean(warm) / 1024,
        "rss_last_mib": statistics.fmean(last) / 1024,
        "rss_growth": growth,
        "p50_ms": p50 * 1000,
        "p99_ms": p99 * 1000,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(result, indent=2))
    verdict = "PASS" if not errors and growth < 0.10 else "FAIL"
    print(
        f"{verdict}: {sent} requests, {len(errors)} errors, RSS {result['rss_warm_mib']:.1f} -> "
        f"{result['rss_last_mib']:.1f} MiB ({growth:+.1%}), p50 {p50 * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms"
    )
    raise SystemExit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
