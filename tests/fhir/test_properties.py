"""Hypothesis: any QuestionnaireResponse gives findings or an InvalidFindingError, never a
crash; well-formed answers to the Questionnaire always come back as the same findings."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.engine.findings import validate_findings
from spasmcare.errors import InvalidFindingError
from spasmcare.fhir.assessment import findings_from_response
from spasmcare.fhir.codes import choice_system
from spasmcare.fhir.questionnaire import intake_questionnaire
from spasmcare.knowledge.base import Finding
from spasmcare.knowledge.loader import default_knowledge
from tests.fhir import leaf_items

KB = default_knowledge()
QUESTIONNAIRE = intake_questionnaire(KB)
ITEMS = leaf_items(QUESTIONNAIRE["item"])
GROUPS = [group["linkId"] for group in QUESTIONNAIRE["item"]]
LINK_IDS = [item["linkId"] for item in ITEMS]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

any_coding = st.fixed_dictionaries(
    {"code": st.one_of(st.sampled_from(["male", "female", "left", "both"]), st.text())},
    optional={
        "system": st.one_of(
            st.sampled_from([choice_system("sex"), choice_system("pain_one_side")]), st.text()
        ),
        "display": st.text(),
    },
)
any_value = st.one_of(
    st.builds(lambda v: {"valueBoolean": v}, st.one_of(st.booleans(), st.integers(0, 1))),
    st.builds(
        lambda v: {"valueDecimal": v},
        st.one_of(st.floats(allow_nan=True), st.integers(), st.text(max_size=5)),
    ),
    st.builds(lambda v: {"valueInteger": v}, st.integers(-(2**40), 2**40)),
    st.builds(lambda v: {"valueString": v}, st.text(max_size=10)),
    st.builds(lambda v: {"valueCoding": v}, any_coding),
    st.builds(lambda v: {"valueDate": v}, st.sampled_from(["2026-03-29", "x"])),
    st.just({}),
)
link_id = st.one_of(st.sampled_from(LINK_IDS + GROUPS), st.text(max_size=12))


def with_children(
    children: st.SearchStrategy[list[dict[str, Any]]],
) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"linkId": link_id},
        optional={"answer": st.lists(any_value, max_size=2), "item": children},
    )


any_item = st.recursive(
    st.fixed_dictionaries(
        {"linkId": link_id}, optional={"answer": st.lists(any_value, max_size=2)}
    ),
    lambda children: with_children(st.lists(children, max_size=3)),
    max_leaves=12,
)


@SETTINGS
@given(items=st.lists(any_item, max_size=6), status=st.sampled_from(["completed", "x y", ""]))
def test_any_response_gives_findings_or_an_invalid_finding_error(
    items: list[dict[str, Any]], status: str
) -> None:
    response = {"resourceType": "QuestionnaireResponse", "status": status, "item": items}
    try:
        findings = findings_from_response(response, KB)
    except InvalidFindingError:
        return
    assert set(findings) <= set(KB.findings)
    assert validate_findings(findings, KB) == findings


def good_answer(finding: Finding) -> st.SearchStrategy[tuple[Any, dict[str, Any]]]:
    """(the finding's value, how a FHIR client would send it)."""
    if finding.type == "bool":
        return st.booleans().map(lambda v: (v, {"valueBoolean": v}))
    if finding.type == "choice":
        values = [option.value for option in finding.options]
        system = choice_system(finding.code)
        return st.sampled_from(values).flatmap(
            lambda v: st.sampled_from(
                [
                    (v, {"valueCoding": {"system": system, "code": v}}),
                    (v, {"valueCoding": {"code": v}}),
                    (v, {"valueString": v}),
                ]
            )
        )
    assert finding.minimum is not None and finding.maximum is not None
    low, high = finding.minimum, finding.maximum
    return st.one_of(
        st.floats(low, high, allow_nan=False).map(lambda v: (v, {"valueDecimal": v})),
        st.integers(int(low), int(high)).map(lambda v: (float(v), {"valueInteger": v})),
    )


@SETTINGS
@given(
    chosen=st.lists(st.sampled_from(LINK_IDS), unique=True, max_size=25).flatmap(
        lambda codes: st.tuples(*(good_answer(KB.findings[code]) for code in codes)).map(
            lambda answers: dict(zip(codes, answers, strict=True))
        )
    ),
    grouped=st.booleans(),
)
def test_well_formed_answers_come_back(
    chosen: dict[str, tuple[Any, dict[str, Any]]], grouped: bool
) -> None:
    def item(code: str) -> dict[str, Any]:
        return {"linkId": code, "answer": [chosen[code][1]]}

    if grouped:
        items = [
            {
                "linkId": group["linkId"],
                "item": [item(i["linkId"]) for i in group["item"] if i["linkId"] in chosen],
            }
            for group in QUESTIONNAIRE["item"]
        ]
    else:
        items = [item(code) for code in chosen]
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}
    assert findings_from_response(response, KB) == {
        code: value for code, (value, _) in chosen.items()
    }
