"""The intake Questionnaire: one item per finding, grouped, with the interview's conditions."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.fhir.codes import (
    FINDING_SYSTEM,
    LOINC,
    MAX_VALUE_EXTENSION,
    MIN_VALUE_EXTENSION,
    QUESTIONNAIRE_UNIT_EXTENSION,
    choice_system,
)
from spasmcare.fhir.questionnaire import (
    QUESTIONNAIRE_URL,
    enable_when,
    intake_questionnaire,
    item_conditions,
    unexpressed_conditions,
)
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import parse
from tests.fhir import leaf_items, revalidate


@pytest.fixture(scope="module")
def questionnaire(kb: KnowledgeBase) -> dict[str, Any]:
    return intake_questionnaire(kb)


@pytest.fixture(scope="module")
def items(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in leaf_items(questionnaire["item"])}


def test_it_is_a_valid_active_questionnaire(
    questionnaire: dict[str, Any], kb: KnowledgeBase
) -> None:
    assert revalidate(questionnaire) == questionnaire
    assert questionnaire["status"] == "active"
    assert questionnaire["url"] == QUESTIONNAIRE_URL
    assert questionnaire["version"] == kb.version


def test_one_item_per_finding_with_unique_link_ids(
    questionnaire: dict[str, Any], items: dict[str, dict[str, Any]], kb: KnowledgeBase
) -> None:
    leaves = leaf_items(questionnaire["item"])
    assert len(leaves) == len(kb.findings)
    assert set(items) == set(kb.findings)
    groups = [group["linkId"] for group in questionnaire["item"]]
    every = groups + [item["linkId"] for item in leaves]
    assert len(every) == len(set(every))


def test_items_sit_in_their_finding_group(questionnaire: dict[str, Any], kb: KnowledgeBase) -> None:
    for group in questionnaire["item"]:
        assert group["type"] == "group"
        for item in group["item"]:
            assert kb.findings[item["linkId"]].group == group["linkId"]
    medicine = next(g for g in questionnaire["item"] if g["linkId"] == "medicine_safety")
    assert {i["linkId"] for i in medicine["item"]} == {
        c for c, f in kb.findings.items() if f.use == "medicine_safety"
    }


def test_items_carry_the_question_type_and_code(
    items: dict[str, dict[str, Any]], kb: KnowledgeBase
) -> None:
    types = {"bool": "boolean", "number": "decimal", "choice": "choice"}
    for code, finding in kb.findings.items():
        item = items[code]
        assert item["text"] == finding.question
        assert item["type"] == types[finding.type]
        assert {"system": FINDING_SYSTEM, "code": code, "display": finding.means} in item["code"]
    assert any(c["system"] == LOINC and c["code"] == "72514-3" for c in items["severity"]["code"])


def test_choices_match_the_options(items: dict[str, dict[str, Any]], kb: KnowledgeBase) -> None:
    for code, finding in kb.findings.items():
        if finding.type != "choice":
            assert "answerOption" not in items[code]
            continue
        codings = [option["valueCoding"] for option in items[code]["answerOption"]]
        assert codings == [
            {"system": choice_system(code), "code": option.value, "display": option.label}
            for option in finding.options
        ]


def test_numbers_have_their_range_and_unit(
    items: dict[str, dict[str, Any]], kb: KnowledgeBase
) -> None:
    for code, finding in kb.findings.items():
        if finding.type != "number":
            continue
        extensions = {e["url"]: e for e in items[code]["extension"]}
        assert extensions[MIN_VALUE_EXTENSION]["valueDecimal"] == finding.minimum
        assert extensions[MAX_VALUE_EXTENSION]["valueDecimal"] == finding.maximum
        if finding.unit:
            unit = extensions[QUESTIONNAIRE_UNIT_EXTENSION]["valueCoding"]
            assert unit["display"] == finding.unit
    assert items["age"]["extension"][2]["valueCoding"]["code"] == "a"  # UCUM years


def test_ask_if_becomes_enable_when(items: dict[str, dict[str, Any]]) -> None:
    pregnant = items["pregnant"]
    assert pregnant["enableBehavior"] == "all"
    assert pregnant["enableWhen"] == [
        {
            "question": "sex",
            "operator": "=",
            "answerCoding": {"system": choice_system("sex"), "code": "female"},
        },
        {"question": "age", "operator": ">=", "answerDecimal": 12.0},
        {"question": "age", "operator": "<=", "answerDecimal": 55.0},
    ]


def test_opening_conditions_are_left_out_by_default(
    items: dict[str, dict[str, Any]], kb: KnowledgeBase
) -> None:
    # interview.yaml's `when` only decides the opening; the interview may still ask
    # pain_mid_back later, so the form must not hide it for good.
    conditional_openings = [q.code for q in kb.opening if q.when is not None]
    assert "pain_mid_back" in conditional_openings
    for code in conditional_openings:
        if kb.findings[code].ask_if is None:
            assert "enableWhen" not in items[code]


def test_opening_conditions_on_request(kb: KnowledgeBase) -> None:
    questionnaire = intake_questionnaire(kb, opening_conditions=True)
    assert revalidate(questionnaire) == questionnaire
    items = {item["linkId"]: item for item in leaf_items(questionnaire["item"])}
    assert items["pain_mid_back"]["enableWhen"] == [
        {"question": "pain_lower_back", "operator": "!=", "answerBoolean": True}
    ]
    assert "enableBehavior" not in items["pain_mid_back"]
    flank = items["pain_flank"]
    assert flank["enableBehavior"] == "all"
    assert {test["question"] for test in flank["enableWhen"]} == {
        "pain_lower_back",
        "pain_mid_back",
        "pain_upper_back",
    }
    for code in item_conditions(kb, opening_conditions=True):
        assert "enableWhen" in items[code]


def test_opening_questions_come_first_in_their_group(
    questionnaire: dict[str, Any], kb: KnowledgeBase
) -> None:
    where = next(g for g in questionnaire["item"] if g["linkId"] == "where_it_hurts")
    order = [item["linkId"] for item in where["item"]]
    opening = [q.code for q in kb.opening if kb.findings[q.code].group == "where_it_hurts"]
    assert order[: len(opening)] == opening


@pytest.mark.parametrize("opening_conditions", [False, True])
def test_enable_when_refers_to_earlier_items_of_the_right_type(
    kb: KnowledgeBase, opening_conditions: bool
) -> None:
    questionnaire = intake_questionnaire(kb, opening_conditions=opening_conditions)
    leaves = leaf_items(questionnaire["item"])
    position = {item["linkId"]: index for index, item in enumerate(leaves)}
    answer_key = {"boolean": "answerBoolean", "decimal": "answerDecimal", "choice": "answerCoding"}
    for index, item in enumerate(leaves):
        for test in item.get("enableWhen", []):
            referred = leaves[position[test["question"]]]
            assert position[test["question"]] < index, item["linkId"]
            assert answer_key[referred["type"]] in test


def test_every_condition_of_this_knowledge_is_expressible(kb: KnowledgeBase) -> None:
    assert unexpressed_conditions(kb) == {}
    assert unexpressed_conditions(kb, opening_conditions=True) == {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fever", ("all", [("fever", "=", True)])),
        ({"not": "fever"}, ("all", [("fever", "!=", True)])),
        ({"not": {"not": "fever"}}, ("all", [("fever", "=", True)])),
        ("age == 50", ("all", [("age", "=", 50.0)])),
        ({"not": "age >= 50"}, ("all", [("age", "<", 50.0)])),
        ({"not": "age < 50"}, ("all", [("age", ">=", 50.0)])),
        ({"not": "sex is female"}, ("all", [("sex", "!=", "female")])),
        (
            {"not": {"all": ["fever", "night_pain"]}},
            ("any", [("fever", "!=", True), ("night_pain", "!=", True)]),
        ),
        (
            {"any": ["fever", {"any": ["night_pain", "age > 70"]}]},
            ("any", [("fever", "=", True), ("night_pain", "=", True), ("age", ">", 70.0)]),
        ),
    ],
)
def test_enable_when_translation(kb: KnowledgeBase, raw: object, expected: Any) -> None:
    result = enable_when(parse(raw), kb)
    assert result is not None
    behavior, tests = result
    answers = [
        (
            test["question"],
            test["operator"],
            test.get("answerBoolean", test.get("answerDecimal", test.get("answerCoding", {}))),
        )
        for test in tests
    ]
    answers = [(q, op, a["code"] if isinstance(a, dict) else a) for q, op, a in answers]
    assert (behavior, answers) == expected


@pytest.mark.parametrize(
    "raw",
    [
        {"all": ["fever", {"any": ["night_pain", "age > 70"]}]},
        {"any": ["fever", {"all": ["night_pain", "age > 70"]}]},
        {"not": {"all": ["fever", {"any": ["night_pain", "night_pain"]}]}},
        "age",  # a number tested as yes/no
        "fever is high",  # a yes/no tested as a choice
        "no_such_finding",
    ],
)
def test_what_enable_when_cannot_say(kb: KnowledgeBase, raw: object) -> None:
    assert enable_when(parse(raw), kb) is None
