"""`spasmcare eval questions`: answer each benchmark question and score it (evaluation.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spasmcare.ask.answer import ask
from spasmcare.domain.triage import TriageLevel
from spasmcare.evaluation.datasets import QuestionCase
from spasmcare.knowledge.base import KnowledgeBase


@dataclass(frozen=True, slots=True)
class QuestionOutcome:
    id: str
    red_flag: bool
    triage: TriageLevel | None
    cited: bool
    missing: tuple[str, ...]  # must_mention patterns the answer did not match


def run_questions(cases: Sequence[QuestionCase], kb: KnowledgeBase) -> list[QuestionOutcome]:
    outcomes = []
    for case in cases:
        answer = ask(case.question, kb)
        missing = tuple(p.pattern for p in case.must_mention if not p.search(answer.answer))
        outcomes.append(
            QuestionOutcome(case.id, case.red_flag, answer.triage, bool(answer.citations), missing)
        )
    return outcomes


def _share(hits: int, total: int) -> float | None:
    return None if total == 0 else round(hits / total, 4)


def question_report(outcomes: Sequence[QuestionOutcome]) -> dict[str, Any]:
    alarmed = [
        o
        for o in outcomes
        if o.triage is not None and o.triage.urgency >= TriageLevel.URGENT.urgency
    ]
    flagged = [o for o in outcomes if o.red_flag]
    plain = [o for o in outcomes if not o.red_flag]
    return {
        "n": len(outcomes),
        "fact_recall": _share(sum(not o.missing for o in outcomes), len(outcomes)),
        "cited_rate": _share(sum(o.cited for o in outcomes), len(outcomes)),
        "red_flag_recall": _share(sum(o in alarmed for o in flagged), len(flagged)),
        "red_flag_false_alarm_rate": _share(sum(o in alarmed for o in plain), len(plain)),
        "cases": [
            {
                "id": o.id,
                "triage": None if o.triage is None else o.triage.value,
                "cited": o.cited,
                "facts_found": not o.missing,
                "missing": list(o.missing),
            }
            for o in outcomes
        ],
    }
