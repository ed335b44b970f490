"""The intake Questionnaire: every finding as a question, grouped like findings.yaml.

A finding's ``ask_if`` (the interview never asks it otherwise) becomes ``enableWhen`` where
FHIR can say it: one flat list of tests joined by "all" or "any". Anything else (e.g. an
"any" inside an "all") leaves the item always enabled; ``unexpressed_conditions`` lists it.

The opening questions' ``when`` (interview.yaml) only decides whether a question is asked
*in the opening*: the interview may still ask it later (pain_flank or pain_mid_back after
pain_lower_back = yes, when a warning sign needs it). As enableWhen it would hide the
question for good, so a person with both lower-back and flank pain could never say so. It
is therefore translated only on request (``opening_conditions=True``). The opening order
is kept: within a group, opening questions come first.

The semantics differ in one corner: the interview still asks a question whose condition
is unknown (it asks unless the condition is false), while FHIR disables an item whose
"=", ">" ... test refers to an unanswered question ("!=" stays enabled). The questions
conditions refer to (age, sex) come first in the form, so this only matters when someone
skips them.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from spasmcare.fhir.codes import (
    BASE,
    FINDING_SYSTEM,
    MAX_VALUE_EXTENSION,
    MIN_VALUE_EXTENSION,
    QUESTIONNAIRE_UNIT_EXTENSION,
    STANDARD_FINDING_CODES,
    UCUM,
    UCUM_OF_UNIT,
    choice_system,
    coding,
)
from spasmcare.fhir.validation import validated
from spasmcare.knowledge.base import Finding, KnowledgeBase
from spasmcare.knowledge.expressions import AllOf, AnyOf, ChoiceIs, Compare, Expr, IsYes, Not

QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/spasmcare-intake"

_ITEM_TYPE = {"bool": "boolean", "number": "decimal", "choice": "choice"}
_NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!="}

EnableWhen = tuple[str, list[dict[str, Any]]]  # (enableBehavior, enableWhen)


def intake_questionnaire(kb: KnowledgeBase, *, opening_conditions: bool = False) -> dict[str, Any]:
    """The Questionnaire (validated, JSON-ready); linkIds are finding codes and group names.

    ``opening_conditions`` also turns the opening questions' ``when`` into enableWhen (see
    the module notes for why that is off by default).
    """
    conditions = item_conditions(kb, opening_conditions=opening_conditions)
    opening = {question.code: index for index, question in enumerate(kb.opening)}
    ordered = sorted(
        kb.findings.values(), key=lambda finding: opening.get(finding.code, len(opening))
    )  # stable: the rest keep their findings.yaml order
    groups: dict[str, list[dict[str, Any]]] = {f.group: [] for f in kb.findings.values()}
    for finding in ordered:
        groups[finding.group].append(_item(finding, conditions.get(finding.code), kb))
    questionnaire = {
        "resourceType": "Questionnaire",
        "id": "spasmcare-intake",
        "url": QUESTIONNAIRE_URL,
        "version": kb.version,
        "name": "SpasmCareIntake",
        "title": "SpasmCare back-spasm intake",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "SpasmCare",
        "description": kb.notice,
        "item": [
            {"linkId": group, "text": _group_title(group), "type": "group", "item": items}
            for group, items in groups.items()
        ],
    }
    return validated(Questionnaire, questionnaire)


def item_conditions(kb: KnowledgeBase, *, opening_conditions: bool = False) -> dict[str, Expr]:
    """The conditions of the conditional questions: ask_if, and optionally the opening's."""
    conditions = {code: f.ask_if for code, f in kb.findings.items() if f.ask_if is not None}
    for opening in kb.opening if opening_conditions else ():
        if opening.when is not None:
            earlier = conditions.get(opening.code)
            conditions[opening.code] = (
                opening.when if earlier is None else AllOf((earlier, opening.when))
            )
    return conditions


def unexpressed_conditions(
    kb: KnowledgeBase, *, opening_conditions: bool = False
) -> dict[str, Expr]:
    """The conditions enableWhen cannot express, by finding code (those items stay enabled)."""
    return {
        code: condition
        for code, condition in item_conditions(kb, opening_conditions=opening_conditions).items()
        if enable_when(condition, kb) is None
    }


def enable_when(condition: Expr, kb: KnowledgeBase) -> EnableWhen | None:
    """(enableBehavior, enableWhen) for a condition, or None when FHIR cannot say it."""
    expr = _push_not(condition)
    behavior = "any" if isinstance(expr, AnyOf) else "all"
    parts = _flatten(expr)
    tests = [_test(part, kb) for part in parts]
    if any(test is None for test in tests):
        return None
    return behavior, [test for test in tests if test is not None]


def _push_not(expr: Expr) -> Expr:
    """Negations moved down to the tests (De Morgan), so all/any sit on top."""
    match expr:
        case AllOf(items):
            return AllOf(tuple(_push_not(item) for item in items))
        case AnyOf(items):
            return AnyOf(tuple(_push_not(item) for item in items))
        case Not(Not(inner)):
            return _push_not(inner)
        case Not(AllOf(items)):
            return AnyOf(tuple(_push_not(Not(item)) for item in items))
        case Not(AnyOf(items)):
            return AllOf(tuple(_push_not(Not(item)) for item in items))
    return expr


def _flatten(expr: Expr) -> tuple[Expr, ...]:
    """The tests of a top-level all/any, with nested lists of the same kind merged."""
    if isinstance(expr, AllOf | AnyOf):
        kind = type(expr)
        return tuple(
            part
            for item in expr.items
            for part in (_flatten(item) if isinstance(item, kind) else (item,))
        )
    return (expr,)


def _test(expr: Expr, kb: KnowledgeBase) -> dict[str, Any] | None:
    """One enableWhen entry, or None for anything but a (negated) test of a known finding."""
    negated = isinstance(expr, Not)
    atom = expr.item if isinstance(expr, Not) else expr
    finding = kb.findings.get(getattr(atom, "code", ""))
    match atom:
        case IsYes(code) if finding is not None and finding.type == "bool":
            return {"question": code, "operator": "!=" if negated else "=", "answerBoolean": True}
        case Compare(code, op, value) if finding is not None and finding.type == "number":
            operator = _NEGATED[op] if negated else ("=" if op == "==" else op)
            return {"question": code, "operator": operator, "answerDecimal": value}
        case ChoiceIs(code, value) if finding is not None and finding.type == "choice":
            return {
                "question": code,
                "operator": "!=" if negated else "=",
                "answerCoding": coding(choice_system(code), value),
            }
    return None


def _item(finding: Finding, condition: Expr | None, kb: KnowledgeBase) -> dict[str, Any]:
    codes = [coding(FINDING_SYSTEM, finding.code, finding.means)]
    if standard := STANDARD_FINDING_CODES.get(finding.code):
        codes.append(dict(standard))
    item: dict[str, Any] = {
        "linkId": finding.code,
        "code": codes,
        "text": finding.question,
        "type": _ITEM_TYPE[finding.type],
    }
    if finding.type == "number":
        extensions: list[dict[str, Any]] = []
        if finding.minimum is not None:
            extensions.append({"url": MIN_VALUE_EXTENSION, "valueDecimal": finding.minimum})
        if finding.maximum is not None:
            extensions.append({"url": MAX_VALUE_EXTENSION, "valueDecimal": finding.maximum})
        if finding.unit:
            unit = UCUM_OF_UNIT.get(finding.unit)
            unit_coding = {"system": UCUM, "code": unit} if unit else {}
            extensions.append(
                {
                    "url": QUESTIONNAIRE_UNIT_EXTENSION,
                    "valueCoding": unit_coding | {"display": finding.unit},
                }
            )
        item["extension"] = extensions
    elif finding.type == "choice":
        item["answerOption"] = [
            {"valueCoding": coding(choice_system(finding.code), option.value, option.label)}
            for option in finding.options
        ]
    if condition is not None and (enabled := enable_when(condition, kb)) is not None:
        behavior, tests = enabled
        item["enableWhen"] = tests
        if len(tests) > 1:
            item["enableBehavior"] = behavior
    return item


def _group_title(group: str) -> str:
    return group.replace("_", " ").capitalize()
