"""Metric arithmetic checked against hand-computed cases."""

from __future__ import annotations

from spasmcare.domain.triage import TriageLevel as T
from spasmcare.evaluation.metrics import CaseOutcome, summarise


def case(
    ref: T,
    got: T,
    ref_cond: str = "a",
    ranked: tuple[str, ...] = ("a", "b", "c"),
    q: int | None = None,
) -> CaseOutcome:
    return CaseOutcome("x", ref, (ref_cond,), got, ranked, q)


def test_hand_computed_summary() -> None:
    cases = [
        case(T.EMERGENCY, T.EMERGENCY),  # right
        case(T.EMERGENCY, T.URGENT, ranked=("b", "a", "c")),  # under-triage; top3 only; folds right
        case(T.SELF_CARE, T.ROUTINE, ref_cond="z"),  # over-triage; cause missed
        case(T.ROUTINE, T.ROUTINE, ranked=("b", "c", "d", "a")),  # cause only at 4th
    ]
    summary = summarise(cases)
    assert summary["n"] == 4
    assert summary["triage_accuracy"] == 0.5
    assert summary["triage3_accuracy"] == 0.75
    assert summary["under_triage_rate"] == 0.25
    assert summary["over_triage_rate"] == 0.25
    assert summary["emergency_sensitivity"] == 0.5
    assert summary["top1"] == 0.25
    assert summary["top3"] == 0.5
    assert summary["questions_mean"] is None


def test_questions_and_no_emergencies() -> None:
    summary = summarise(
        [
            case(T.ROUTINE, T.ROUTINE, q=4),
            case(T.ROUTINE, T.ROUTINE, q=9),
            case(T.ROUTINE, T.ROUTINE, q=5),
        ]
    )
    assert summary["questions_mean"] == 6.0
    assert summary["questions_median"] == 5
    assert summary["emergency_sensitivity"] is None
