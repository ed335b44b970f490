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


BENCHMARKS: list[Callable[[bool], list[Figure]]] = [engine_latency, interview_latency, cli_start]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke run)")
    args = parser.parse_args()
    figures = [figure for bench in BENCHMARKS for figure in bench(args.quick)]
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
