from __future__ import annotations

import pytest

from spasmcare.engine import assess
from spasmcare.engine.reachability import typical_findings, unreachable_conditions
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge


def test_no_condition_is_unreachable(kb: KnowledgeBase) -> None:
    assert unreachable_conditions(kb) == []


@pytest.mark.parametrize("code", list(default_knowledge().conditions))
def test_typical_case_ranks_its_condition_first(kb: KnowledgeBase, code: str) -> None:
    result = assess(typical_findings(kb, kb.conditions[code]), kb)
    assert result.differential[0].code == code
    # Triage for a textbook case is never below the condition's usual disposition.
    assert result.triage.urgency >= kb.conditions[code].default_triage.urgency
