"""Whole-knowledge-base consistency checks, run at every load and by `spasmcare kb check`.

Each function returns plain-language problems naming the file and entry at fault; an empty
list means the knowledge base is consistent.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.base import Finding, KnowledgeBase
from spasmcare.knowledge.expressions import (
    ChoiceIs,
    Compare,
    Expr,
    IsYes,
    atoms,
    negated_codes,
)
from spasmcare.knowledge.yamlfile import load_yaml

_SUM_TOLERANCE = 0.011


def problems(kb: KnowledgeBase) -> list[str]:
    return [
        *_expression_problems(kb),
        *_likelihood_problems(kb),
        *_prior_problems(kb),
        *_source_problems(kb),
        *_rule_problems(kb),
        *_opening_problems(kb),
        *_someone_else_problems(kb),
        *_care_problems(kb),
        *_background_problems(kb),
        *_monotonicity_problems(kb),
    ]


def _expressions(kb: KnowledgeBase) -> Iterator[tuple[str, Expr]]:
    for rule in kb.rules:
        yield f"red_flags.yaml {rule.id}.when", rule.when
        if rule.applies_when is not None:
            yield f"red_flags.yaml {rule.id}.applies_when", rule.applies_when
    for condition in kb.conditions.values():
        for index, escalation in enumerate(condition.escalations):
            yield f"conditions.yaml {condition.code}.escalations[{index}]", escalation.when
    for finding in kb.findings.values():
        if finding.ask_if is not None:
            yield f"findings.yaml {finding.code}.ask_if", finding.ask_if
    for question in kb.opening:
        if question.when is not None:
            yield f"interview.yaml {question.code}.when", question.when
    yield from _care_expressions(kb)


def _care_expressions(kb: KnowledgeBase) -> Iterator[tuple[str, Expr]]:
    care = kb.care
    for kind, items in (
        ("treatments", care.treatments),
        ("exercises", care.exercises),
        ("habits", care.habits),
    ):
        for item in items:
            if item.avoid_when is not None:
                yield f"care/{kind}.yaml {item.id}.avoid_when", item.avoid_when
    for habit in care.habits:
        if habit.highlight_when is not None:
            yield f"care/habits.yaml {habit.id}.highlight_when", habit.highlight_when
    for medicine in care.medicines:
        for rule in (*medicine.avoid_if, *medicine.caution_if):
            yield f"care/medicines.yaml {medicine.id}", rule.when


def _expression_problems(kb: KnowledgeBase) -> Iterator[str]:
    for where, expr in _expressions(kb):
        for atom, _ in atoms(expr):
            finding = kb.findings.get(atom.code)
            if finding is None:
                yield f"{where}: unknown finding code '{atom.code}'"
            elif isinstance(atom, IsYes) and finding.type != "bool":
                yield f"{where}: '{atom.code}' is a {finding.type} finding; compare it or use 'is'"
            elif isinstance(atom, Compare) and finding.type != "number":
                yield f"{where}: '{atom.code}' is not a number finding"
            elif isinstance(atom, ChoiceIs) and (
                finding.type != "choice" or atom.value not in {o.value for o in finding.options}
            ):
                yield f"{where}: '{atom.code} is {atom.value}' names no option of that finding"


def _likelihood_problems(kb: KnowledgeBase) -> Iterator[str]:
    for condition in kb.conditions.values():
        where = f"conditions.yaml {condition.code}"
        weights = sum(p.weight for p in condition.presentations)
        if not math.isclose(weights, 1.0, abs_tol=_SUM_TOLERANCE):
            yield f"{where}: presentation weights add up to {weights:.3f}, not 1"
        for presentation in condition.presentations:
            for code, table in presentation.likelihoods.items():
                yield from _table_problems(kb.findings.get(code), code, table, where)


def _table_problems(finding: Finding | None, code: str, table: object, where: str) -> Iterator[str]:
    if finding is None:
        yield f"{where}: likelihood for unknown finding '{code}'"
        return
    if finding.use != "ranking":
        yield f"{where}: '{code}' is a {finding.use} finding and cannot carry a likelihood"
        return
    if finding.type == "bool":
        if not isinstance(table, float):
            yield f"{where}: '{code}' is yes/no, so its likelihood is one probability"
        return
    expected = (
        [o.value for o in finding.options]
        if finding.type == "choice"
        else [b.id for b in finding.bands]
    )
    if not expected:
        yield f"{where}: '{code}' has no bands, so it cannot carry a likelihood"
        return
    if not isinstance(table, Mapping) or set(table) != set(expected):
        yield f"{where}: '{code}' needs a probability for each of {expected}"
        return
    total = sum(table.values())
    if not math.isclose(total, 1.0, abs_tol=_SUM_TOLERANCE):
        yield f"{where}: '{code}' probabilities add up to {total:.3f}, not 1"


def _prior_problems(kb: KnowledgeBase) -> Iterator[str]:
    age_bands = {band.id for band in kb.findings["age"].bands}
    sexes = {option.value for option in kb.findings["sex"].options}
    for condition in kb.conditions.values():
        for band in set(condition.prior.age) - age_bands:
            yield f"conditions.yaml {condition.code}.prior.age: unknown age band '{band}'"
        for sex in set(condition.prior.sex) - sexes:
            yield f"conditions.yaml {condition.code}.prior.sex: unknown sex '{sex}'"


def _source_problems(kb: KnowledgeBase) -> Iterator[str]:
    cited: list[tuple[str, str]] = [("findings.yaml", sid) for sid in kb.finding_sources]
    cited += [("interview.yaml", sid) for sid in kb.interview_sources]
    for condition in kb.conditions.values():
        cited += [(f"conditions.yaml {condition.code}", sid) for sid in condition.sources]
        for escalation in condition.escalations:
            cited += [
                (f"conditions.yaml {condition.code}.escalations", sid) for sid in escalation.sources
            ]
    for rule in kb.rules:
        cited += [(f"red_flags.yaml {rule.id}", sid) for sid in rule.sources]
    for level in kb.levels.values():
        cited += [(f"triage_levels.yaml {level.level}", sid) for sid in level.sources]
    for where, sid in cited:
        if sid not in kb.sources:
            yield f"{where}: cites unknown source '{sid}'"


def _care_problems(kb: KnowledgeBase) -> Iterator[str]:
    care = kb.care
    known = set(care.tags)
    for condition in kb.conditions.values():
        for tag in set(condition.care_tags) - known:
            yield f"conditions.yaml {condition.code}.care: unknown care tag '{tag}'"
    items: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
        (f"care/{kind}.yaml", item.id, item.applies_to, item.not_for)
        for kind, group in (
            ("treatments", care.treatments),
            ("exercises", care.exercises),
            ("habits", care.habits),
            ("medicines", care.medicines),
        )
        for item in group
    ]
    for where, ident, applies_to, not_for in items:
        for tag in (set(applies_to) | set(not_for)) - known:
            yield f"{where} {ident}: unknown care tag '{tag}'"
    for ident, count in Counter(ident for _, ident, _, _ in items).items():
        if count > 1:
            yield f"care: id '{ident}' is used {count} times"
    cited = [
        (f"care {item.id}", sid)
        for group in (care.treatments, care.exercises, care.habits, care.medicines)
        for item in group
        for sid in item.sources
    ]
    for where, sid in cited:
        if sid not in kb.sources:
            yield f"{where}: cites unknown source '{sid}'"


def _opening_problems(kb: KnowledgeBase) -> Iterator[str]:
    for question in kb.opening:
        finding = kb.findings.get(question.code)
        if finding is None:
            yield f"interview.yaml: unknown finding code '{question.code}'"
        elif finding.use == "medicine_safety":
            yield f"interview.yaml: {question.code!r} is for medicine safety, not triage"


_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|you're|you've)\b", re.IGNORECASE)


def _someone_else_problems(kb: KnowledgeBase) -> Iterator[str]:
    """Asked about someone else, a question must not slip back into "you"."""
    for finding in kb.findings.values():
        if _SECOND_PERSON.search(finding.question_someone_else):
            yield (
                f"findings.yaml {finding.code}: asked about someone else it still says 'you' "
                f"({finding.question_someone_else!r}); add a rewrite to interview.yaml "
                "someone_else or give question_someone_else"
            )


def _rule_problems(kb: KnowledgeBase) -> Iterator[str]:
    for rule_id, count in Counter(rule.id for rule in kb.rules).items():
        if count > 1:
            yield f"red_flags.yaml: rule id '{rule_id}' is used {count} times"
    for rule in kb.rules:
        for code in rule.conditions:
            if code not in kb.conditions:
                yield f"red_flags.yaml {rule.id}: unknown condition '{code}'"
    for level in TriageLevel:
        if level not in kb.levels:
            yield f"triage_levels.yaml: no text for level '{level}'"


def _background_problems(kb: KnowledgeBase) -> Iterator[str]:
    for finding in kb.findings.values():
        if finding.use != "ranking" or finding.type == "bool":
            continue
        shares = [o.background for o in finding.options] or [b.background for b in finding.bands]
        if not shares:
            continue
        if any(share is None for share in shares):
            yield f"findings.yaml {finding.code}: every option or band needs a background share"
            continue
        total = sum(share for share in shares if share is not None)
        if not math.isclose(total, 1.0, abs_tol=_SUM_TOLERANCE):
            yield f"findings.yaml {finding.code}: background shares add up to {total:.3f}, not 1"


def _monotonicity_problems(kb: KnowledgeBase) -> Iterator[str]:
    """A warning sign must only ever raise urgency.

    So a finding that raises urgency somewhere may not appear under `not` anywhere: not in a
    rule (reporting it would switch the rule off) and not in `applies_when` (reporting it
    would make a rule irrelevant and drop the "not yet ruled out" floor).
    """
    raising: set[str] = set(kb.red_flag_codes)
    for where, expr in _expressions(kb):
        if "ask_if" in where or where.startswith(("interview.yaml", "care/")):
            continue  # asking order or care advice, not urgency
        for code in negated_codes(expr) & raising:
            yield f"{where}: '{code}' raises urgency elsewhere, so it cannot be negated here"


def spec_problems(kb: KnowledgeBase, spec_dir: Path) -> list[str]:
    """Differences from the public contract in shared/spec (codes may be added, never changed)."""
    found: list[str] = []
    findings_spec = load_yaml((spec_dir / "findings.yaml").read_text(encoding="utf-8"))
    for group in findings_spec.values():
        for code, spec in group.items():
            finding = kb.findings.get(code)
            if finding is None:
                found.append(f"spec finding '{code}' is missing from the knowledge base")
                continue
            if finding.type != spec["type"]:
                found.append(f"'{code}': spec type {spec['type']}, knowledge base {finding.type}")
            if spec["type"] == "number" and (finding.minimum, finding.maximum) != (
                spec["min"],
                spec["max"],
            ):
                found.append(
                    f"'{code}': range differs from the spec [{spec['min']}, {spec['max']}]"
                )
            if spec["type"] == "choice" and [o.value for o in finding.options] != spec["values"]:
                found.append(f"'{code}': choices differ from the spec {spec['values']}")
    conditions_spec = load_yaml((spec_dir / "conditions.yaml").read_text(encoding="utf-8"))
    for group in conditions_spec.values():
        for code, spec in group.items():
            condition = kb.conditions.get(code)
            if condition is None:
                found.append(f"spec condition '{code}' is missing from the knowledge base")
            elif condition.default_triage != spec["default_triage"]:
                found.append(
                    f"'{code}': default triage differs from the spec ({spec['default_triage']})"
                )
    return found
