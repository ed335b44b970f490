"""SpasmCare: back-spasm triage, likely causes and care plans that explain themselves.

>>> import spasmcare
>>> result = spasmcare.assess({"age": 34, "sex": "male", "pain_lower_back": True,
...                            "trigger_lifting": True, "onset_sudden": True})
>>> result.triage in spasmcare.TriageLevel
True

SpasmCare supports decisions; it does not replace a clinician who can examine you.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from spasmcare.domain.assessment import Assessment, Contribution, Evidence, RankedCondition
from spasmcare.domain.triage import TriageLevel
from spasmcare.errors import (
    DatasetError,
    FindingChoiceError,
    FindingRangeError,
    FindingTypeError,
    InvalidFindingError,
    KnowledgeBaseError,
    SpasmCareError,
    UnknownFindingError,
)

if TYPE_CHECKING:
    from spasmcare.engine.params import EngineParams
    from spasmcare.knowledge.base import KnowledgeBase

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "Contribution",
    "DatasetError",
    "Evidence",
    "FindingChoiceError",
    "FindingRangeError",
    "FindingTypeError",
    "InvalidFindingError",
    "KnowledgeBaseError",
    "RankedCondition",
    "SpasmCareError",
    "TriageLevel",
    "UnknownFindingError",
    "__version__",
    "assess",
    "extract",
    "load_knowledge",
]


def assess(
    findings: Mapping[str, object],
    kb: KnowledgeBase | None = None,
    params: EngineParams | None = None,
) -> Assessment:
    """Assess one person's findings (spec codes; missing or None means unknown).

    Uses the knowledge base shipped with the package unless ``kb`` is given.
    """
    from spasmcare.engine import DEFAULT_PARAMS
    from spasmcare.engine import assess as run_engine
    from spasmcare.knowledge.loader import default_knowledge

    return run_engine(findings, kb or default_knowledge(), params or DEFAULT_PARAMS)


def extract(text: str, kb: KnowledgeBase | None = None) -> dict[str, object]:
    """Findings (spec codes) read from a story in plain words: symptoms with their denials
    ("no numbness"), uncertainty and hypotheticals left unknown, plus age, sex, severity,
    duration and side."""
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.narrative.extract import extract as read

    return dict(read(text, kb or default_knowledge()).findings)


def load_knowledge() -> KnowledgeBase:
    """The packaged knowledge base, validated and cross-checked (cached per process)."""
    from spasmcare.knowledge.loader import default_knowledge

    return default_knowledge()
