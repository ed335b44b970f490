"""Warning-sign rules: which fired, and which still matter but are not yet answered."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from spasmcare.knowledge.base import KnowledgeBase, RedFlagRule
from spasmcare.knowledge.expressions import FindingValue, evaluate, satisfying_codes, unknown_codes


@dataclass(frozen=True, slots=True)
class RuleStatus:
    """Where the warning-sign rules stand for one set of findings."""

    fired: tuple[tuple[RedFlagRule, tuple[str, ...]], ...]
    # Rules that the answers so far make relevant and that unanswered findings could still
    # make fire. While any remain, SpasmCare does not advise self-care.
    pending: tuple[RedFlagRule, ...]


@functools.lru_cache(maxsize=8)
def _rules_naming(kb: KnowledgeBase) -> dict[str, frozenset[int]]:
    """For each finding code, the rules (by position) whose `when` or `applies_when` names
    it; once per knowledge base (the cache holds it by identity)."""
    naming: dict[str, set[int]] = {}
    for position, rule in enumerate(kb.rules):
        named = rule.when.finding_codes
        if rule.applies_when is not None:
            named |= rule.applies_when.finding_codes
        for code in named:
            naming.setdefault(code, set()).add(position)
    return {code: frozenset(positions) for code, positions in naming.items()}


def rule_status(kb: KnowledgeBase, findings: Mapping[str, FindingValue]) -> RuleStatus:
    fired: list[tuple[RedFlagRule, tuple[str, ...]]] = []
    pending: list[RedFlagRule] = []
    naming = _rules_naming(kb)
    touched: set[int] = set()
    for code in findings:
        touched |= naming.get(code, frozenset())
    for position, rule in enumerate(kb.rules):
        if position not in touched:
            # Nothing it names is answered, so it is unknown (the language has no constants)
            # and matters only if it is part of the universal screen.
            if rule.applies_when is None:
                pending.append(rule)
            continue
        outcome = evaluate(rule.when, findings)
        if outcome is True:
            fired.append((rule, satisfying_codes(rule.when, findings)))
        elif outcome is None and applies(rule, findings):
            pending.append(rule)
    return RuleStatus(tuple(fired), tuple(pending))


def applies(rule: RedFlagRule, findings: Mapping[str, FindingValue]) -> bool:
    """Whether the answers so far make the rule matter for this person.

    Rules without `applies_when` are the universal screen and always matter. A rule whose
    relevance is still unknown does not count yet: the interview establishes the context
    (where it hurts, age, leg symptoms ...) by asking, and relevance can only grow as
    answers arrive, because `applies_when` may not use `not`.
    """
    return rule.applies_when is None or evaluate(rule.applies_when, findings) is True


def unanswered_codes(
    rules: tuple[RedFlagRule, ...], findings: Mapping[str, FindingValue]
) -> tuple[str, ...]:
    codes: set[str] = set()
    for rule in rules:
        codes |= unknown_codes(rule.when, findings)
    return tuple(sorted(codes))
