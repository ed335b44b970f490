"""Run benchmark cases through the engine in one of the modes of evaluation.md."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from spasmcare.engine import assess
from spasmcare.engine.params import EngineParams
from spasmcare.errors import NotAvailableError
from spasmcare.evaluation.datasets import Vignette
from spasmcare.evaluation.metrics import CaseOutcome
from spasmcare.knowledge.base import KnowledgeBase

Mode = Literal["full", "interview", "narrative"]
MODES: tuple[Mode, ...] = ("full", "interview", "narrative")
LISTED_CONDITIONS = 5


def run_vignettes(
    vignettes: Sequence[Vignette], mode: Mode, kb: KnowledgeBase, params: EngineParams
) -> list[CaseOutcome]:
    if mode != "full":
        raise NotAvailableError(
            f"the '{mode}' mode is not available in this version yet; use --mode full"
        )
    outcomes = []
    for vignette in vignettes:
        result = assess(vignette.full_findings(kb), kb, params)
        outcomes.append(
            CaseOutcome(
                id=vignette.id,
                reference_triage=vignette.triage,
                reference_conditions=vignette.conditions,
                triage=result.triage,
                conditions=tuple(c.code for c in result.differential[:LISTED_CONDITIONS]),
            )
        )
    return outcomes
