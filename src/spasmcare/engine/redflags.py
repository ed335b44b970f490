"""Warning-sign rules: which fired, and which still matter but are not yet answered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.base import KnowledgeBase, RedFlagRule
from spasmcare.knowledge.expressions import FindingValue, evaluate, satisfying_codes, unknown_codes


@dataclass(frozen=True, slots=True)
class RuleStatus:
    """Where the warning-sign rules stand for one set of findings."""

    fired: tuple[tuple[RedFlagRule, tuple[str, ...]], ...]
    # Urgent or emergency rules that apply to this person and that unanswered findings could
    # still make fire. While any remain, SpasmCare does not advise self-care.
    pending: tuple[RedFlagRule, ...]


def rule_status(kb: KnowledgeBase, findings: Mapping[str, FindingValue]) -> RuleStatus:
    fired: list[tuple[RedFlagRule, tuple[str, ...]]] = []
    pending: list[RedFlagRule] = []
    for rule in kb.rules:
        outcome = evaluate(rule.when, findings)
        if outcome is True:
            fired.append((rule, satisfying_codes(rule.when, findings)))
        elif (
            outcome is None
            and rule.level.urgency >= TriageLevel.URGENT.urgency
            and applies(rule, findings)
        ):
            pending.append(rule)
    return RuleStatus(tuple(fired), tuple(pending))


def applies(rule: RedFlagRule, findings: Mapping[str, FindingValue]) -> bool:
    """Whether the rule matters for this person (true or not yet known)."""
    return rule.applies_when is None or evaluate(rule.applies_when, findings) is not False


def unanswered_codes(
    rules: tuple[RedFlagRule, ...], findings: Mapping[str, FindingValue]
) -> tuple[str, ...]:
    codes: set[str] = set()
    for rule in rules:
        codes |= unknown_codes(rule.when, findings)
    return tuple(sorted(codes))
