"""Combine warning-sign floors and the differential's risk into one disposition.

The triage is the most urgent of:
  * every fired red-flag rule's level (a floor nothing can lower);
  * the most urgent level whose risk reaches its threshold (EngineParams);
  * routine, while an urgent or emergency warning sign that applies to this person is
    still unanswered ("when unsure, escalate");
and self-care only when none of these applies.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from spasmcare.domain.assessment import Evidence
from spasmcare.domain.triage import LEVELS_BY_URGENCY, TriageLevel, most_urgent
from spasmcare.engine.params import EngineParams
from spasmcare.engine.redflags import unanswered_codes
from spasmcare.knowledge.base import KnowledgeBase, RedFlagRule
from spasmcare.knowledge.expressions import FindingValue, evaluate, positive_codes

_LISTED_SIGNS = 5  # name a few unanswered warning signs in the reason; all are in not_ruled_out


class Disposition:
    """The care one condition needs in this case: its default, raised by escalations."""

    __slots__ = ("level", "reasons", "sources")

    def __init__(
        self, level: TriageLevel, reasons: tuple[str, ...], sources: tuple[str, ...]
    ) -> None:
        self.level = level
        self.reasons = reasons
        self.sources = sources


def case_dispositions(
    kb: KnowledgeBase, findings: Mapping[str, FindingValue]
) -> dict[str, Disposition]:
    duration = findings.get("duration_days")
    result: dict[str, Disposition] = {}
    for code, condition in kb.conditions.items():
        level = condition.default_triage
        reasons: list[str] = []
        sources: list[str] = []
        for escalation in condition.escalations:
            if evaluate(escalation.when, findings) is True:
                level = most_urgent(level, escalation.level)
                reasons.append(escalation.reason)
                sources += escalation.sources
        window = condition.self_care_window_days
        if window is not None and isinstance(duration, float) and duration > window:
            level = most_urgent(level, TriageLevel.ROUTINE)
            reasons.append(kb.explanations.past_self_care_window.format(days=window))
            sources += condition.sources
        result[code] = Disposition(level, tuple(reasons), tuple(dict.fromkeys(sources)))
    return result


@functools.lru_cache(maxsize=8)
def escalating_codes(kb: KnowledgeBase) -> frozenset[str]:
    """Yes/no findings that can raise a condition's disposition (its escalations); once per
    knowledge base (the cache holds it by identity)."""
    return frozenset(
        code
        for condition in kb.conditions.values()
        for escalation in condition.escalations
        for code in positive_codes(escalation.when)
    )


def risk_groups(dispositions: Mapping[str, Disposition]) -> dict[TriageLevel, list[str]]:
    """For each level above self-care, the conditions that need at least that level."""
    urgency = {code: d.level.urgency for code, d in dispositions.items()}
    return {
        level: [code for code, needed in urgency.items() if needed >= level.urgency]
        for level in LEVELS_BY_URGENCY
        if level is not TriageLevel.SELF_CARE
    }


def decide(
    kb: KnowledgeBase,
    params: EngineParams,
    *,
    findings: Mapping[str, FindingValue],
    fired: tuple[tuple[RedFlagRule, tuple[str, ...]], ...],
    pending: tuple[RedFlagRule, ...],
    risk: Mapping[TriageLevel, float],
    groups: Mapping[TriageLevel, list[str]],
    probabilities: Mapping[str, float],
    dispositions: Mapping[str, Disposition],
    supporting: Callable[[str], tuple[str, ...]],
    too_many_warning_signs: int | None,
) -> tuple[TriageLevel, tuple[Evidence, ...]]:
    """Return the disposition and every reason behind it, most urgent first."""
    reasons = [
        Evidence("red_flag", rule.level, rule.reason, codes, rule.sources, rule.id, rule.conditions)
        for rule, codes in fired
    ]
    if too_many_warning_signs is not None:
        reasons.append(
            Evidence(
                "red_flag",
                TriageLevel.EMERGENCY,
                kb.explanations.many_warning_signs.format(count=too_many_warning_signs),
                tuple(sorted(code for code in kb.red_flag_codes if findings.get(code) is True)),
                kb.levels[TriageLevel.EMERGENCY].sources,
            )
        )
    thresholds = {
        TriageLevel.EMERGENCY: params.emergency_threshold,
        TriageLevel.URGENT: params.urgent_threshold,
        TriageLevel.ROUTINE: params.routine_threshold,
    }
    for level, threshold in thresholds.items():
        if risk[level] >= threshold:
            reasons.append(
                _risk_evidence(
                    kb, level, risk[level], groups[level], probabilities, dispositions, supporting
                )
            )
            break
    if pending:
        codes = unanswered_codes(pending, findings)
        listed = [kb.findings[code].means for code in codes[:_LISTED_SIGNS]]
        if len(codes) > _LISTED_SIGNS:
            listed.append(f"and {len(codes) - _LISTED_SIGNS} more")
        signs = "; ".join(listed)
        reasons.append(
            Evidence(
                "not_ruled_out",
                TriageLevel.ROUTINE,
                kb.explanations.not_ruled_out.format(signs=signs),
                codes,
                tuple(dict.fromkeys(source for rule in pending for source in rule.sources)),
                ",".join(rule.id for rule in pending),
                tuple(dict.fromkeys(c for rule in pending for c in rule.conditions)),
            )
        )
    triage = most_urgent(*(reason.level for reason in reasons))
    if not reasons:
        top = max(probabilities, key=lambda code: probabilities[code])
        reasons.append(
            Evidence(
                "no_warning_signs",
                TriageLevel.SELF_CARE,
                kb.explanations.no_warning_signs,
                supporting(top),
                kb.levels[TriageLevel.SELF_CARE].sources,
                conditions=(top,),
                probability=round(probabilities[top], 4),
            )
        )
    ordered = sorted(reasons, key=lambda reason: -reason.level.urgency)
    return triage, tuple(ordered)


def _risk_evidence(
    kb: KnowledgeBase,
    level: TriageLevel,
    probability: float,
    group: list[str],
    probabilities: Mapping[str, float],
    dispositions: Mapping[str, Disposition],
    supporting: Callable[[str], tuple[str, ...]],
) -> Evidence:
    ranked = sorted(group, key=lambda code: (-probabilities[code], code))
    shown = [code for code in ranked if probabilities[code] >= 0.02][:3] or ranked[:1]
    text = kb.explanations.condition_risk.format(
        percent=f"{probability:.0%}", conditions=", ".join(kb.conditions[c].name for c in shown)
    )
    escalations = [reason for c in shown for reason in dispositions[c].reasons]
    if escalations:
        text = " ".join([text, *dict.fromkeys(escalations)])
    sources = [s for c in shown for s in (*dispositions[c].sources, *kb.conditions[c].sources)]
    return Evidence(
        "condition_risk",
        level,
        text,
        supporting(shown[0]),
        tuple(dict.fromkeys(sources)),
        conditions=tuple(shown),
        probability=round(probability, 4),
    )
