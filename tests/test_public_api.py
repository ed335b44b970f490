"""The public surface is exactly what __all__ says (httpx's habit)."""

from __future__ import annotations

import spasmcare


def test_public_names_are_sorted_and_exist() -> None:
    assert spasmcare.__all__ == sorted(spasmcare.__all__)
    assert all(hasattr(spasmcare, name) for name in spasmcare.__all__)


def test_assess_uses_the_packaged_knowledge() -> None:
    result = spasmcare.assess({"age": 30, "pain_lower_back": True, "saddle_numbness": True})
    assert result.triage is spasmcare.TriageLevel.EMERGENCY
    assert result.knowledge_version == spasmcare.load_knowledge().version
