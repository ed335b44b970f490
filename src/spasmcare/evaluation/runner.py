"""Run benchmark cases through the engine in one of the modes of evaluation.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from spasmcare.domain.assessment import Assessment
from spasmcare.engine import assess
from spasmcare.engine.interview import DEFAULT_INTERVIEW, Question, run_interview
from spasmcare.engine.params import EngineParams
from spasmcare.evaluation.datasets import Vignette
from spasmcare.evaluation.metrics import CaseOutcome
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.narrative.extract import extract

Mode = Literal["full", "interview", "narrative"]
MODES: tuple[Mode, ...] = ("full", "interview", "narrative")
LISTED_CONDITIONS = 5


def run_vignettes(
    vignettes: Sequence[Vignette], mode: Mode, kb: KnowledgeBase, params: EngineParams
) -> list[CaseOutcome]:
    return [_run_one(vignette, mode, kb, params) for vignette in vignettes]


def _run_one(
    vignette: Vignette, mode: Mode, kb: KnowledgeBase, params: EngineParams
) -> CaseOutcome:
    questions: int | None = None
    if mode == "full":
        result = assess(vignette.full_findings(kb), kb, params)
    elif mode == "interview":
        result, questions = interview_vignette(vignette, kb, params)
    else:
        story = extract(vignette.narrative, kb).findings
        result = assess(story, kb, replace(params, screen_unasked=False))
    return CaseOutcome(
        id=vignette.id,
        reference_triage=vignette.triage,
        reference_conditions=vignette.conditions,
        triage=result.triage,
        conditions=tuple(c.code for c in result.differential[:LISTED_CONDITIONS]),
        questions=questions,
    )


def interview_vignette(
    vignette: Vignette, kb: KnowledgeBase, params: EngineParams
) -> tuple[Assessment, int]:
    """The harness answers from the vignette: an unlisted yes/no finding is "no", an
    unlisted number or choice is "don't know" (evaluation.md)."""

    def answer(question: Question) -> object:
        if question.code in vignette.findings:
            return vignette.findings[question.code]
        return False if question.type == "bool" else None

    outcome = run_interview(answer, kb, DEFAULT_INTERVIEW.with_engine(params))
    return outcome.assessment, len(outcome.asked)
