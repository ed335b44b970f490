"""Benchmark metrics of shared/spec/evaluation.md, as pure functions."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from spasmcare.domain.triage import TriageLevel


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    id: str
    reference_triage: TriageLevel
    reference_conditions: tuple[str, ...]
    triage: TriageLevel
    conditions: tuple[str, ...]
    questions: int | None = None


def _share(hits: int, total: int) -> float | None:
    return None if total == 0 else round(hits / total, 4)


def summarise(cases: Sequence[CaseOutcome]) -> dict[str, float | int | None]:
    n = len(cases)
    emergencies = [c for c in cases if c.reference_triage is TriageLevel.EMERGENCY]
    questions = [c.questions for c in cases if c.questions is not None]
    return {
        "n": n,
        "triage_accuracy": _share(sum(c.triage is c.reference_triage for c in cases), n),
        "triage3_accuracy": _share(
            sum(c.triage.folded() == c.reference_triage.folded() for c in cases), n
        ),
        "under_triage_rate": _share(
            sum(c.triage.urgency < c.reference_triage.urgency for c in cases), n
        ),
        "over_triage_rate": _share(
            sum(c.triage.urgency > c.reference_triage.urgency for c in cases), n
        ),
        "emergency_sensitivity": _share(
            sum(c.triage is TriageLevel.EMERGENCY for c in emergencies), len(emergencies)
        ),
        "top1": _share(
            sum(bool(c.conditions) and c.conditions[0] in c.reference_conditions for c in cases), n
        ),
        "top3": _share(
            sum(any(code in c.reference_conditions for code in c.conditions[:3]) for c in cases), n
        ),
        "questions_mean": round(statistics.fmean(questions), 2) if questions else None,
        "questions_median": statistics.median(questions) if questions else None,
    }
