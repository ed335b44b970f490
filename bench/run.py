"""SpasmCare benchmarks: one command, a table of figures beside their targets, and JSON.

    make bench            (or: .venv/bin/python bench/run.py [--quick])

Timings that depend on this machine's speed are also given as a ratio to a baseline
measured in the same run, because these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str
    passed: bool | None
    note: str = ""


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def engine_latency(quick: bool) -> list[Figure]:
    """Full assessment from findings, in-process, over the dev vignettes (full mode)."""
    sys.path.insert(0, str(ROOT))
    from spasmcare.engine import assess
    from spasmcare.evaluation.datasets import load_vignettes
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    cases = [
        v.full_findings(kb) for v in load_vignettes(ROOT / "tests/data/dev_vignettes.yaml", kb)
    ]
    for case in cases:  # warm caches (compiled model)
        assess(case, kb)
    rounds = 5 if quick else 25
    samples = [
        t for _ in range(rounds) for case in cases for t in timed(lambda c=case: assess(c, kb), 1)
    ]
    median = statistics.median(samples) * 1000
    p99 = sorted(samples)[int(len(samples) * 0.99)] * 1000
    return [
        Figure(
            "engine: full assessment, median",
            median,
            "ms",
            "< 1 ms",
            median < 1.0,
            f"{len(samples)} runs",
        ),
        Figure("engine: full assessment, p99", p99, "ms", "(info)", None),
    ]


def interview_latency(quick: bool) -> list[Figure]:
    """Choosing the next question, in-process, at every step of the dev-set interviews."""
    from spasmcare.engine.interview import next_step
    from spasmcare.evaluation.datasets import load_vignettes
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    vignettes = load_vignettes(ROOT / "tests/data/dev_vignettes.yaml", kb)
    samples: list[float] = []
    for vignette in vignettes[: 10 if quick else None]:
        answers: dict[str, object] = {}
        asked: list[str] = []
        while True:
            start = time.perf_counter()
            step = next_step(answers, asked, kb)
            samples.append(time.perf_counter() - start)
            if step.question is None:
                break
            asked.append(step.question.code)
            value = vignette.findings.get(step.question.code)
            if value is not None or step.question.type == "bool":
                answers[step.question.code] = False if value is None else value
    median = statistics.median(samples) * 1000
    p99 = sorted(samples)[int(len(samples) * 0.99)] * 1000
    return [
        Figure(
            "interview: next question, median",
            median,
            "ms",
            "< 10 ms",
            median < 10,
            f"{len(samples)} steps",
        ),
        Figure("interview: next question, p99", p99, "ms", "(info)", None),
    ]


def ask_latency(quick: bool) -> list[Figure]:
    """An answer once the index is loaded (in-process), and `spasmcare ask` cold (new process)."""
    import yaml

    from spasmcare.ask.answer import ask
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    questions = [
        q["question"] for q in yaml.safe_load((ROOT / "tests/data/dev_questions.yaml").read_text())
    ]
    ask(questions[0], kb)  # build the index
    rounds = 2 if quick else 10
    samples = [
        t for _ in range(rounds) for q in questions for t in timed(lambda q=q: ask(q, kb), 1)
    ]
    median = statistics.median(samples) * 1000
    command = [
        str(ROOT / ".venv" / "bin" / "spasmcare"),
        "ask",
        "Should I use ice or heat?",
        "--json",
    ]
    cold = []
    for _ in range(3 if quick else 7):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cold.append(time.perf_counter() - start)
    cold_median = statistics.median(cold)
    return [
        Figure(
            "ask: answer once loaded, median",
            median,
            "ms",
            "< 50 ms",
            median < 50,
            f"{len(samples)} answers",
        ),
        Figure("ask: spasmcare ask cold, median", cold_median, "s", "< 1.5 s", cold_median < 1.5),
    ]


def cli_start(quick: bool) -> list[Figure]:
    """`spasmcare --help` in a fresh process, against `python -c pass` as the baseline."""
    runs = 5 if quick else 15
    spasmcare = [str(ROOT / ".venv" / "bin" / "spasmcare"), "--help"]
    python = [sys.executable, "-c", "pass"]

    def run(command: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - start

    baseline = statistics.median(run(python) for _ in range(runs))
    help_time = statistics.median(run(spasmcare) for _ in range(runs))
    return [
        Figure("cli: spasmcare --help, median", help_time, "s", "< 0.3 s", help_time < 0.3),
        Figure("cli: --help / bare python start", help_time / baseline, "x", "(ratio)", None),
    ]


def _wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict[str, float]:
    """Run wrk (2 threads) and read requests/s, p50, p99 and errors from its report."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    report = subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def after(label: str) -> str:
        line = next((ln for ln in report.splitlines() if ln.strip().startswith(label)), "")
        return line.split()[-1] if line else "0"

    def millis(text: str) -> float:
        for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
            if text.endswith(unit):
                return float(text[: -len(unit)]) * factor
        return float(text)

    errors = float(after("Non-2xx or 3xx responses:"))
    socket = next((ln for ln in report.splitlines() if "Socket errors" in ln), "")
    if socket:
        errors += sum(int(part.rstrip(",")) for part in socket.split()[3::2])
    return {
        "rps": float(after("Requests/sec:")),
        "p50": millis(after("50%")),
        "p99": millis(after("99%")),
        "errors": errors,
    }


def _postgres_url() -> str | None:
    """A fresh schema on the local PostgreSQL, dropped when the run ends; None when there is
    no server (the PostgreSQL figures are skipped)."""
    import atexit

    sys.path.insert(0, str(ROOT))
    from tests.postgres import create_schema, drop_schema

    try:
        url, schema = create_schema("spasmcare_bench")
    except Exception:
        return None
    atexit.register(drop_schema, schema)
    return url


def _api_token(database_url: str) -> str:
    """A user and API token made directly in the database (the benchmark is the API)."""
    from datetime import UTC, datetime

    from spasmcare.services import accounts
    from spasmcare.storage.database import engine_for, session_factory, transaction
    from spasmcare.storage.migrate import upgrade

    engine = engine_for(database_url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        user = accounts.sign_up(
            session, f"bench{datetime.now(UTC).timestamp()}@example.com", "x" * 12
        )
        return accounts.create_api_token(session, user, "bench").token


def _request_bodies() -> dict[str, list[str]]:
    """Varied request bodies from the development vignettes: the answers the interview
    collects for each (what the app posts, ~16 answers) and every finding answered (the
    heaviest body, ~116 answers)."""
    from spasmcare.engine.params import DEFAULT_PARAMS
    from spasmcare.evaluation.datasets import load_vignettes
    from spasmcare.evaluation.runner import interview_vignette
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    cases = load_vignettes(ROOT / "tests/data/dev_vignettes.yaml", kb)

    def interviewed(case: Any) -> dict[str, Any]:
        return dict(interview_vignette(case, kb, DEFAULT_PARAMS)[0].findings)

    return {
        "interview": [json.dumps({"findings": interviewed(case)}) for case in cases],
        "every finding": [json.dumps({"findings": case.full_findings(kb)}) for case in cases],
    }


def _post_script(path: Path, bodies: list[str], token: str | None) -> Path:
    """A wrk script that POSTs the bodies in turn (with an API token when given)."""
    lines = ['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"']
    if token is not None:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    lines.append("local bodies = {")
    lines += [f"  [==[{body}]==]," for body in bodies]
    lines += [
        "}",
        "local turn = 0",
        "request = function()",
        "  turn = turn % #bodies + 1",
        "  return wrk.format(nil, nil, nil, bodies[turn])",
        "end",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def api_throughput(quick: bool) -> list[Figure]:
    """POST /api/v1/assessments against GET /healthz on the same server (2 workers): wrk,
    50 connections, on SQLite and PostgreSQL. Anonymous POSTs (assessed, nothing stored) and
    POSTs with an API token (assessed, care plan made, saved), each with the interview's
    answers and with every finding answered (see _request_bodies).

    Measured in rounds of pairs: each POST run right after a healthz run, its ratio taken
    to that run. These machines have slow spells lasting seconds, and one healthz run at
    the start would credit or blame every later run with its spell. The figures are the
    medians over the rounds; the notes give the range."""
    import shutil
    import tempfile

    sys.path.insert(0, str(ROOT))
    from tests.web.live_server import running_server

    if shutil.which("wrk") is None:
        return [Figure("api: throughput", 0, "-", "wrk needed", False, "apt-get install -y wrk")]
    seconds, rounds = (2, 1) if quick else (4, 3)
    figures: list[Figure] = []
    folder = Path(tempfile.mkdtemp(prefix="spasmcare-bench-"))
    bodies = _request_bodies()
    databases = {"sqlite": f"sqlite:///{folder / 'bench.db'}", "postgresql": _postgres_url()}
    for name, url in databases.items():
        if url is None:
            figures.append(Figure(f"api [{name}]", 0, "-", "(skipped)", None, "not reachable"))
            continue
        token = _api_token(url)
        scripts = {
            f"{kind}, {body_kind} answers": _post_script(
                folder / f"{name}-{kind}-{body_kind.replace(' ', '-')}.lua",
                bodies[body_kind],
                token if kind == "saved" else None,
            )
            for kind in ("anonymous", "saved")
            for body_kind in bodies
        }
        data_dir = folder / name
        data_dir.mkdir()
        with running_server(url, data_dir, workers=2) as base:
            endpoint = f"{base}/api/v1/assessments"
            _wrk(f"{base}/healthz", 2, 10)  # warm up both workers
            for script in scripts.values():
                _wrk(endpoint, 1, 10, script)
            measured: dict[str, list[tuple[dict[str, float], dict[str, float]]]] = {
                label: [] for label in scripts
            }
            for _ in range(rounds):
                for label, script in scripts.items():
                    health = _wrk(f"{base}/healthz", seconds, 50)
                    measured[label].append((health, _wrk(endpoint, seconds, 50, script)))
        figures += _throughput_figures(name, measured)
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def _throughput_figures(
    database: str, measured: dict[str, list[tuple[dict[str, float], dict[str, float]]]]
) -> list[Figure]:
    """Median figures over the rounds of api_throughput, with each one's range."""

    def summary(values: list[float]) -> tuple[float, str]:
        low, high = min(values), max(values)
        return statistics.median(values), f"rounds: {low:.3f} to {high:.3f}" if low != high else ""

    healths = [health for runs in measured.values() for health, _ in runs]
    rps, note = summary([h["rps"] for h in healths])
    figures = [Figure(f"api [{database}]: GET /healthz", rps, "req/s", "(baseline)", None, note)]
    errors = sum(h["errors"] for h in healths)
    for label, runs in measured.items():
        errors += sum(post["errors"] for _, post in runs)
        name = f"api [{database}]: POST {label}"
        rps, rps_note = summary([post["rps"] for _, post in runs])
        ratio, ratio_note = summary(
            [post["rps"] / health["rps"] if health["rps"] else 0.0 for health, post in runs]
        )
        p50, _ = summary([post["p50"] for _, post in runs])
        p99, p99_note = summary([post["p99"] for _, post in runs])
        figures += [
            Figure(name, rps, "req/s", "(info)", None, rps_note),
            Figure(f"{name} / healthz", ratio, "x", ">= 0.40", ratio >= 0.40, ratio_note),
            Figure(f"{name} p50", p50, "ms", "(info)", None),
            Figure(f"{name} p99", p99, "ms", "< 50 ms", p99 < 50, p99_note),
        ]
    figures.append(Figure(f"api [{database}]: errors", errors, "", "0", errors == 0))
    return figures


def _diary_user(database_url: str, days: int, episodes: int, seed: int = 7) -> tuple[Any, Any]:
    """A user with `days` of daily check-ins and `episodes` spasms, in a migrated database."""
    import random
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from bench.diary_data import checkin_rows, episode_rows
    from spasmcare.services import accounts
    from spasmcare.storage.database import engine_for, session_factory, transaction
    from spasmcare.storage.migrate import upgrade
    from spasmcare.storage.tables import CheckInRecord, EpisodeRecord

    engine = engine_for(database_url)
    upgrade(engine)
    rng = random.Random(seed)
    today = datetime.now(UTC).date()
    with transaction(session_factory(engine)) as session:
        user = accounts.sign_up(session, f"diary{rng.random()}@example.com", "x" * 12)
        user.timezone = "Europe/London"
        session.execute(insert(CheckInRecord), list(checkin_rows(user.id, days, today, rng)))
        session.execute(
            insert(EpisodeRecord), list(episode_rows(user.id, episodes, days, today, rng))
        )
        token = accounts.start_session(session, user, _settings(database_url), datetime.now(UTC))
        user_id = user.id
    return user_id, token


def _settings(database_url: str) -> Any:
    from spasmcare.settings import Settings

    return Settings(database_url=database_url, migrate_on_start=False)


def diary_single_user(quick: bool) -> list[Figure]:
    """5 years of daily check-ins and 2,000 spasms (SQLite): the insights page (database,
    insights, charts and HTML, through the app in-process) and the doctor report."""
    import tempfile
    from datetime import UTC, datetime, timedelta

    from fastapi.testclient import TestClient

    sys.path.insert(0, str(ROOT))
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary_overview
    from spasmcare.storage.database import engine_for, session_factory
    from spasmcare.storage.tables import User
    from spasmcare.web.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="spasmcare-diary-"))
    url = f"sqlite:///{folder / 'diary.db'}"
    user_id, token = _diary_user(url, 5 * 365 + 1, 2000)
    rounds = 3 if quick else 10
    with TestClient(create_app(_settings(url))) as client:
        client.cookies.set("spasmcare_session", token)
        assert client.get("/diary/insights").status_code == 200  # warm
        page = timed(lambda: client.get("/diary/insights"), rounds)
        home = timed(lambda: client.get("/diary"), rounds)
    kb = default_knowledge()
    now = datetime.now(UTC)
    with session_factory(engine_for(url))() as session:
        user = session.get(User, user_id)
        year = timed(
            lambda: diary_overview.report_pdf(
                session, user, kb, now, (now - timedelta(days=364)).date(), now.date()
            ),
            rounds,
        )
        five = timed(
            lambda: diary_overview.report_pdf(
                session, user, kb, now, (now - timedelta(days=3 * 365)).date(), now.date()
            ),
            max(2, rounds // 3),
        )
    median = statistics.median
    return [
        Figure(
            "diary 5y/2000: insights page, median",
            median(page) * 1000,
            "ms",
            "< 300 ms",
            median(page) < 0.3,
            f"max {max(page) * 1000:.0f} ms",
        ),
        Figure(
            "diary 5y/2000: diary home page, median",
            median(home) * 1000,
            "ms",
            "< 300 ms",
            median(home) < 0.3,
        ),
        Figure("diary 5y/2000: doctor report 1 year", median(year), "s", "< 2 s", median(year) < 2),
        Figure(
            "diary 5y/2000: doctor report 3 years", median(five), "s", "< 2 s", median(five) < 2
        ),
    ]


def diary_many_users(quick: bool) -> list[Figure]:
    """10,000 people with a year of diary each in PostgreSQL (1,000 with --quick): one
    person's insights (database, insights, charts) p95, and whether the queries use the
    indexes (no sequential scan of the diary tables)."""
    import random
    from datetime import UTC, datetime

    import psycopg
    from psycopg.types.json import Jsonb
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    sys.path.insert(0, str(ROOT))
    from bench.diary_data import checkin_rows, episode_rows
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary_overview
    from spasmcare.storage.database import engine_for, session_factory
    from spasmcare.storage.migrate import upgrade
    from spasmcare.storage.tables import User

    url = _postgres_url()
    if url is None:
        return [Figure("diary 10k users [postgresql]", 0, "-", "(skipped)", None, "not reachable")]
    people = 1000 if quick else 10_000
    engine = engine_for(url)
    upgrade(engine)
    rng = random.Random(11)
    today = datetime.now(UTC).date()
    started = time.perf_counter()
    # COPY needs psycopg itself: libpq takes the same URL (search_path too), minus the driver.
    raw = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    ids = [f"{n:08d}-0000-0000-0000-000000000000" for n in range(people)]
    json_columns = {
        "medicines",
        "exercises_done",
        "warning_signs",
        "locations",
        "triggers",
        "remedies",
    }
    with raw, raw.cursor() as cursor:
        with cursor.copy(
            "COPY users (id, email, password_hash, created_at, timezone) FROM STDIN"
        ) as copy:
            for ident in ids:
                copy.write_row(
                    (ident, f"{ident}@example.com", "!", datetime.now(UTC), "Europe/London")
                )
        for table, rows in (
            ("checkins", lambda i: checkin_rows(i, 365, today, rng)),
            ("episodes", lambda i: episode_rows(i, 50, 365, today, rng)),
        ):
            first = next(iter(rows(ids[0])))
            columns = list(first)
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for ident in ids:
                    for row in rows(ident):
                        copy.write_row(
                            [Jsonb(row[c]) if c in json_columns else row[c] for c in columns]
                        )
        cursor.execute("ANALYZE")
    load_seconds = time.perf_counter() - started
    kb = default_knowledge()
    now = datetime.now(UTC)
    samples = []
    with session_factory(engine)() as session:
        for ident in rng.sample(ids, 40 if quick else 100):
            user = session.get(User, ident)
            start = time.perf_counter()
            diary_overview.overview(session, user, kb, now).charts()
            samples.append(time.perf_counter() - start)
        plans = [
            session.execute(text(f"EXPLAIN {query}"), {"u": ids[5]}).scalars().all()
            for query in (
                "SELECT * FROM checkins WHERE user_id = :u ORDER BY local_date DESC",
                "SELECT * FROM episodes WHERE user_id = :u ORDER BY started_at DESC",
            )
        ]
    seq_scans = sum("Seq Scan" in line for plan in plans for line in plan)
    p95 = sorted(samples)[int(len(samples) * 0.95) - 1] * 1000
    return [
        Figure(
            f"diary {people} users x 1 year [postgresql]: load",
            load_seconds,
            "s",
            "(info)",
            None,
            f"{people * 415:,} rows",
        ),
        Figure(
            f"diary {people} users: one person's insights p95",
            p95,
            "ms",
            "< 150 ms",
            p95 < 150,
            f"median {statistics.median(samples) * 1000:.0f} ms",
        ),
        Figure(
            "diary: sequential scans in the per-person queries", seq_scans, "", "0", seq_scans == 0
        ),
    ]


BENCHMARKS: list[Callable[[bool], list[Figure]]] = [
    engine_latency,
    interview_latency,
    ask_latency,
    cli_start,
    api_throughput,
    diary_single_user,
    diary_many_users,
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke run)")
    parser.add_argument("--only", help="run only the benchmarks whose name contains this")
    args = parser.parse_args()
    chosen = [b for b in BENCHMARKS if not args.only or args.only in b.__name__]
    figures = [figure for bench in chosen for figure in bench(args.quick)]
    width = max(len(f.name) for f in figures)
    print(f"{'figure':<{width}}  {'value':>10}  unit  target      result")
    for f in figures:
        verdict = "-" if f.passed is None else ("PASS" if f.passed else "FAIL")
        print(
            f"{f.name:<{width}}  {f.value:>10.3f}  {f.unit:<4}  {f.target:<10}  {verdict}  {f.note}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "latest.json"
    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    out.write_text(
        json.dumps({"machine": machine, "figures": [asdict(f) for f in figures]}, indent=2)
    )
    print(f"\nwritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
