"""Can every condition be ranked first? A constructive check used by `kb check` and tests.

For each condition we build its textbook case from the knowledge base itself: every yes/no
finding the condition makes clearly more likely is answered yes, every other one no, and
each choice or banded number takes its most characteristic value.
"""

from __future__ import annotations

from spasmcare.engine.assess import assess
from spasmcare.engine.findings import Findings
from spasmcare.engine.params import DEFAULT_PARAMS, EngineParams
from spasmcare.knowledge.base import Band, Condition, Finding, KnowledgeBase

_CLEARLY_MORE_LIKELY = 2.0


def typical_findings(kb: KnowledgeBase, condition: Condition) -> Findings:
    presentation = max(condition.presentations, key=lambda p: p.weight)
    findings: Findings = {}
    for finding in kb.findings.values():
        table = presentation.likelihoods.get(finding.code)
        if finding.use != "ranking":
            continue
        if finding.type == "bool":
            background = finding.background or 0.0
            findings[finding.code] = isinstance(table, float) and table >= max(
                0.3, _CLEARLY_MORE_LIKELY * background
            )
        elif isinstance(table, dict):
            shares = _backgrounds(finding)
            best = max(table, key=lambda state: table[state] / shares[state])
            findings[finding.code] = best if finding.type == "choice" else _inside(finding, best)
    age_band = max(kb.findings["age"].bands, key=lambda band: condition.prior.age.get(band.id, 1.0))
    findings["age"] = _inside(kb.findings["age"], age_band.id)
    findings["sex"] = max(("female", "male"), key=lambda sex: condition.prior.sex.get(sex, 1.0))
    return findings


def unreachable_conditions(kb: KnowledgeBase, params: EngineParams = DEFAULT_PARAMS) -> list[str]:
    """Conditions whose own typical case does not rank them first."""
    problems = []
    for code, condition in kb.conditions.items():
        first = assess(typical_findings(kb, condition), kb, params).differential[0].code
        if first != code:
            problems.append(f"{code}: its typical case ranks '{first}' first")
    return problems


def _backgrounds(finding: Finding) -> dict[str, float]:
    return {o.value: o.background or 1.0 for o in finding.options} | {
        b.id: b.background or 1.0 for b in finding.bands
    }


def _inside(finding: Finding, band_id: str) -> float:
    """A representative number inside a band."""
    bands: list[Band] = list(finding.bands)
    index = next(i for i, band in enumerate(bands) if band.id == band_id)
    low = bands[index - 1].upto if index else finding.minimum or 0.0
    high = bands[index].upto
    assert low is not None
    return float(low if high is None else (low + high) / 2)
