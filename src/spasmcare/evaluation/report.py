"""The `spasmcare eval` output: the JSON contract of evaluation.md, or a Rich table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from spasmcare.evaluation.metrics import CaseOutcome, summarise

_METRIC_LABELS = {
    "triage_accuracy": "Triage accuracy (4 levels)",
    "triage3_accuracy": "Triage accuracy (3 levels)",
    "under_triage_rate": "Under-triage rate",
    "over_triage_rate": "Over-triage rate",
    "emergency_sensitivity": "Emergency sensitivity",
    "top1": "Top-1 cause correct",
    "top3": "Cause in top 3",
    "questions_mean": "Questions asked (mean)",
    "questions_median": "Questions asked (median)",
}


def vignette_report(mode: str, outcomes: Sequence[CaseOutcome]) -> dict[str, Any]:
    summary = summarise(outcomes)
    return {
        "n": summary["n"],
        "mode": mode,
        **{key: summary[key] for key in _METRIC_LABELS},
        "cases": [
            {
                "id": c.id,
                "triage": c.triage.value,
                "conditions": list(c.conditions),
                "questions": c.questions,
            }
            for c in outcomes
        ],
    }


def vignette_table(
    report: dict[str, Any], outcomes: Sequence[CaseOutcome]
) -> tuple[Table, Table | None]:
    """A summary table, and a table of the cases that missed (None when all passed)."""
    summary = Table(
        title=f"Vignettes: {report['n']} cases, {report['mode']} mode", show_header=False
    )
    summary.add_column("metric")
    summary.add_column("value", justify="right")
    for key, label in _METRIC_LABELS.items():
        value = report[key]
        if value is None:
            continue
        shown = (
            f"{value:.1%}"
            if key.endswith(("accuracy", "rate", "sensitivity")) or key.startswith("top")
            else str(value)
        )
        summary.add_row(label, shown)
    misses = [
        c
        for c in outcomes
        if c.triage is not c.reference_triage
        or not c.conditions
        or c.conditions[0] not in c.reference_conditions
    ]
    if not misses:
        return summary, None
    table = Table(title="Cases that missed")
    for column in ("id", "expected triage", "got", "expected cause", "ranked first"):
        table.add_column(column)
    for c in misses:
        table.add_row(
            c.id,
            c.reference_triage.value,
            c.triage.value,
            ", ".join(c.reference_conditions),
            c.conditions[0],
        )
    return summary, table
