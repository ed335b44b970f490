"""QuestionnaireResponse -> findings, and an assessment as a FHIR Bundle."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.careplan import CarePlan
from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.engine.findings import validate_findings
from spasmcare.errors import InvalidFindingError
from spasmcare.fhir.assessment import (
    assessment_bundle,
    finding_from_observation,
    finding_observation,
    findings_from_response,
)
from spasmcare.fhir.codes import (
    CONDITION_SYSTEM,
    FINDING_SYSTEM,
    LOINC,
    TRIAGE_EXTENSION,
    TRIAGE_SYSTEM,
    choice_system,
)
from spasmcare.fhir.questionnaire import QUESTIONNAIRE_URL
from spasmcare.knowledge.base import KnowledgeBase
from tests.fhir import entries_of, revalidate

EMERGENCY = {
    "age": 61,
    "sex": "male",
    "pain_mid_back": True,
    "pain_pressure_chest": True,
    "sweating_clammy": True,
    "severity": 8,
}
MADE_AT = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def response(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "item": list(items),
    }


def answered(link_id: str, **answer: Any) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [answer]}


# --- QuestionnaireResponse -> findings ------------------------------------------------


def test_answers_of_every_kind_nested_in_groups(kb: KnowledgeBase) -> None:
    qr = response(
        {
            "linkId": "demographics",
            "item": [
                answered("age", valueDecimal=61),
                answered("sex", valueCoding={"system": choice_system("sex"), "code": "male"}),
            ],
        },
        {
            "linkId": "where_it_hurts",
            "item": [
                answered("pain_mid_back", valueBoolean=True),
                answered("pain_lower_back", valueBoolean=False),
                {"linkId": "pain_flank"},  # no answer: unknown
                answered("pain_one_side", valueString="left"),
            ],
        },
        answered("severity", valueInteger=7),  # outside any group
        {
            "linkId": "pain_upper_back",
            "answer": [
                {"valueBoolean": True, "item": [answered("duration_days", valueDecimal=0.5)]}
            ],
        },
    )
    assert findings_from_response(qr, kb) == {
        "age": 61.0,
        "sex": "male",
        "pain_mid_back": True,
        "pain_lower_back": False,
        "pain_one_side": "left",
        "severity": 7.0,
        "pain_upper_back": True,
        "duration_days": 0.5,
    }


def test_an_empty_response_is_no_findings(kb: KnowledgeBase) -> None:
    assert findings_from_response(response(), kb) == {}
    assert findings_from_response(response({"linkId": "demographics"}), kb) == {}


@pytest.mark.parametrize(
    ("item", "named"),
    [
        (answered("pain_midback", valueBoolean=True), "pain_midback"),  # unknown linkId
        (answered("fever", valueString="yes"), "fever"),
        (answered("fever", valueInteger=1), "fever"),
        (answered("age", valueBoolean=True), "age"),
        (answered("age", valueString="61"), "age"),
        (answered("age", valueDecimal=130), "age"),  # out of range
        (answered("severity", valueInteger=-1), "severity"),
        (answered("sex", valueString="other"), "sex"),
        (answered("sex", valueCoding={"system": "http://example.org/sex", "code": "male"}), "sex"),
        (answered("sex", valueCoding={"system": choice_system("sex"), "code": "m"}), "sex"),
        ({"linkId": "fever", "answer": [{"valueBoolean": True}, {"valueBoolean": False}]}, "fever"),
        ({"linkId": "fever", "answer": [{}]}, "fever"),
        ({"linkId": "whole_body", "answer": [{"valueBoolean": True}]}, "whole_body"),
        (answered("fever", valueBoolean="yes"), "fever"),  # invalid FHIR JSON, model coerces
        (answered("age", valueDecimal="sixty"), "age"),  # rejected by the R4B model
    ],
)
def test_bad_answers_name_the_link_id(kb: KnowledgeBase, item: dict[str, Any], named: str) -> None:
    with pytest.raises(InvalidFindingError) as caught:
        findings_from_response(response({"linkId": "whole_body", "item": [item]}), kb)
    assert named in str(caught.value)
    assert caught.value.code == named


def test_a_question_answered_twice_is_refused(kb: KnowledgeBase) -> None:
    qr = response(answered("fever", valueBoolean=True), answered("fever", valueBoolean=False))
    with pytest.raises(InvalidFindingError, match="fever"):
        findings_from_response(qr, kb)


@pytest.mark.parametrize(
    "bad",
    [
        {"resourceType": "Questionnaire", "status": "active"},
        {"resourceType": "QuestionnaireResponse"},  # status is required
        {"resourceType": "QuestionnaireResponse", "status": "completed", "item": "x"},
        {"resourceType": "QuestionnaireResponse", "status": "completed", "bogus": 1},
        {
            "resourceType": "QuestionnaireResponse",
            "status": "completed",
            "contained": [{"resourceType": "NoSuchThing"}],
        },
        [],
    ],
)
def test_an_invalid_resource_is_an_invalid_finding_error(kb: KnowledgeBase, bad: Any) -> None:
    with pytest.raises(InvalidFindingError):
        findings_from_response(bad, kb)


# --- assessment -> Bundle ---------------------------------------------------------------


@pytest.fixture(scope="module")
def emergency(kb: KnowledgeBase) -> tuple[Assessment, CarePlan]:
    result = assess(validate_findings(EMERGENCY, kb), kb)
    return result, plan(result, kb)


@pytest.fixture(scope="module")
def bundle(emergency: tuple[Assessment, CarePlan], kb: KnowledgeBase) -> dict[str, Any]:
    result, care = emergency
    return assessment_bundle(
        result, care, kb, subject="Patient/42", made_at=MADE_AT, ident="assessment-1"
    )


def test_every_resource_is_valid_r4b(bundle: dict[str, Any]) -> None:
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    assert revalidate(bundle) == bundle
    for entry in bundle["entry"]:
        assert revalidate(entry["resource"]) == entry["resource"]
        assert entry["fullUrl"].startswith("urn:uuid:")
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(urls) == len(set(urls))


def test_the_risk_assessment_carries_triage_and_the_top_cause(
    bundle: dict[str, Any], emergency: tuple[Assessment, CarePlan], kb: KnowledgeBase
) -> None:
    result, _ = emergency
    (entry,) = entries_of(bundle, "RiskAssessment")
    risk = entry["resource"]
    assert risk["status"] == "final"
    assert risk["subject"] == {"reference": "Patient/42"}
    assert risk["occurrenceDateTime"] == "2026-03-29T01:30:00Z"
    (triage,) = [e for e in risk["extension"] if e["url"] == TRIAGE_EXTENSION]
    assert triage["valueCoding"] == {
        "system": TRIAGE_SYSTEM,
        "code": "emergency",
        "display": kb.levels[result.triage].label,
    }
    assert risk["mitigation"] == result.action
    top = risk["prediction"][0]
    assert top["outcome"]["coding"][0]["system"] == CONDITION_SYSTEM
    assert top["outcome"]["coding"][0]["code"] == "acute_coronary_syndrome"
    assert top["probabilityDecimal"] == pytest.approx(result.differential[0].probability)
    assert len(risk["prediction"]) == len(result.differential)
    assert risk["method"]["coding"][0]["version"] == result.knowledge_version
    assert len(risk["note"]) == len(result.reasons) + 1
    assert all("Sources:" in note["text"] for note in risk["note"][:-1])


def test_basis_lists_one_observation_per_finding(
    bundle: dict[str, Any], emergency: tuple[Assessment, CarePlan]
) -> None:
    result, _ = emergency
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    (risk,) = entries_of(bundle, "RiskAssessment")
    basis = [by_url[ref["reference"]] for ref in risk["resource"]["basis"]]
    assert len(basis) == len(entries_of(bundle, "Observation")) == len(result.findings)
    read = dict(finding_from_observation(observation) for observation in basis)
    assert read == result.findings
    severity = next(o for o in basis if o["code"]["coding"][0]["code"] == "severity")
    assert {"system": LOINC, "code": "72514-3"}.items() <= severity["code"]["coding"][1].items()
    assert severity["valueQuantity"]["value"] == 8


def test_the_care_plan_has_every_item_and_warning_sign(
    bundle: dict[str, Any], emergency: tuple[Assessment, CarePlan]
) -> None:
    _, care = emergency
    (entry,) = entries_of(bundle, "CarePlan")
    resource = entry["resource"]
    assert (resource["status"], resource["intent"]) == ("active", "plan")
    assert resource["title"] == care.headline
    assert len(resource["activity"]) == len(care.items())
    descriptions = [a["detail"]["description"] for a in resource["activity"]]
    assert all(item.detail in text for item, text in zip(care.items(), descriptions, strict=True))
    notes = " ".join(note["text"] for note in resource["note"])
    assert all(sign.text in notes for sign in care.warning_signs)
    (risk,) = entries_of(bundle, "RiskAssessment")
    assert resource["supportingInfo"] == [{"reference": risk["fullUrl"]}]


def test_dicts_give_the_same_bundle_as_objects(
    emergency: tuple[Assessment, CarePlan], bundle: dict[str, Any], kb: KnowledgeBase
) -> None:
    result, care = emergency
    again = assessment_bundle(
        result.to_dict(),
        care.to_dict(),
        kb,
        subject="Patient/42",
        made_at=MADE_AT,
        ident="assessment-1",
    )
    assert again == bundle


def test_without_subject_time_or_id(
    emergency: tuple[Assessment, CarePlan], kb: KnowledgeBase
) -> None:
    result, care = emergency
    bundle = assessment_bundle(result, care, kb)
    assert revalidate(bundle) == bundle
    (risk,) = entries_of(bundle, "RiskAssessment")
    assert "display" in risk["resource"]["subject"]
    assert "occurrenceDateTime" not in risk["resource"]
    with pytest.raises(ValueError, match="offset"):
        assessment_bundle(result, care, kb, made_at=datetime(2026, 3, 29, 1, 30))


@pytest.mark.parametrize(
    ("code", "value"),
    [("fever", True), ("fever", False), ("age", 61.0), ("severity", 0.0), ("sex", "female")],
)
def test_finding_observations_read_back(kb: KnowledgeBase, code: str, value: Any) -> None:
    observation = finding_observation(
        code, value, kb, subject={"reference": "Patient/1"}, effective=None
    )
    assert observation["code"]["coding"][0] == {
        "system": FINDING_SYSTEM,
        "code": code,
        "display": kb.findings[code].means,
    }
    assert finding_from_observation(observation) == (code, value)


def test_a_foreign_observation_is_not_a_finding() -> None:
    foreign = {"resourceType": "Observation", "code": {"coding": [{"system": LOINC}]}}
    with pytest.raises(InvalidFindingError):
        finding_from_observation(foreign)
    coded = {"code": {"coding": [{"system": FINDING_SYSTEM, "code": "fever"}]}}
    with pytest.raises(InvalidFindingError, match="fever"):
        finding_from_observation(coded | {"valueString": "yes"})


def test_the_emergency_dev_case_as_given(kb: KnowledgeBase) -> None:
    findings = {k: v for k, v in EMERGENCY.items() if k != "severity"}
    result = assess(validate_findings(findings, kb), kb)
    bundle = assessment_bundle(result, plan(result, kb), kb)
    (risk,) = entries_of(bundle, "RiskAssessment")
    triage = risk["resource"]["extension"][0]["valueCoding"]
    assert (triage["system"], triage["code"]) == (TRIAGE_SYSTEM, "emergency")
    top = risk["resource"]["prediction"][0]
    assert top["outcome"]["coding"][0]["code"] == "acute_coronary_syndrome"
    assert top["probabilityDecimal"] == pytest.approx(result.differential[0].probability)
