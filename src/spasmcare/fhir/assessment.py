"""Assessments in FHIR: a QuestionnaireResponse in, a Bundle of what was concluded out.

The Bundle (type collection) holds:
  * a RiskAssessment: the triage level as the extension ``TRIAGE_EXTENSION`` (valueCoding
    from ``TRIAGE_SYSTEM``) with the action to take in ``mitigation``; one ``prediction``
    per ranked condition (outcome from ``CONDITION_SYSTEM``, probabilityDecimal 0-1);
    ``method`` names the SpasmCare engine with the knowledge version as the coding's
    version; ``basis`` references the finding Observations; ``note`` holds each reason
    with its sources;
  * one Observation per finding (code from ``FINDING_SYSTEM``, plus LOINC 72514-3 for
    severity; valueBoolean, valueQuantity or valueCodeableConcept);
  * a CarePlan: one activity per plan item (its phase as ``scheduledString`` and the
    ``CARE_PHASE_EXTENSION``), warning signs, medicines and review advice as notes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan as FhirCarePlan
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.riskassessment import RiskAssessment
from pydantic import BaseModel

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.careplan import CarePlan
from spasmcare.domain.triage import TriageLevel
from spasmcare.engine.findings import Findings, validate_findings
from spasmcare.errors import FindingTypeError, InvalidFindingError, UnknownFindingError
from spasmcare.fhir.codes import (
    ASSESSMENT_ID_SYSTEM,
    ASSESSMENT_SYSTEM,
    CARE_ITEM_SYSTEM,
    CARE_PHASE_EXTENSION,
    CARE_PHASE_SYSTEM,
    CONDITION_SYSTEM,
    EXERCISE_SYSTEM,
    FINDING_SYSTEM,
    METHOD_SYSTEM,
    STANDARD_FINDING_CODES,
    TRIAGE_EXTENSION,
    TRIAGE_SYSTEM,
    choice_system,
    coding,
    concept,
    find_code,
    quantity,
    survey_category,
    urn_uuid,
)
from spasmcare.fhir.validation import checked, shape_problems, to_json, validated, where
from spasmcare.knowledge.base import Finding, KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue

ENGINE_CODE = "spasmcare-engine"
TRIAGE_ASSESSMENT_CODE = "back-pain-triage"
ANONYMOUS = {"display": "SpasmCare user (not identified)"}

Entry = tuple[str, BaseModel]  # (fullUrl, the checked resource)


# --- QuestionnaireResponse -> findings ------------------------------------------------


def findings_from_response(response: dict[str, Any], kb: KnowledgeBase) -> Findings:
    """The findings a QuestionnaireResponse to the intake Questionnaire gives.

    Items are matched by linkId (a finding code; group items are walked through). An item
    without an answer is unknown. Raises InvalidFindingError naming the linkId for an
    unknown linkId, a wrong answer type, a value out of range or an invalid resource.
    """
    if not isinstance(response, dict) or response.get("resourceType") != "QuestionnaireResponse":
        raise InvalidFindingError(
            "resourceType",
            "expected a FHIR QuestionnaireResponse",
            "a QuestionnaireResponse resource",
        )
    problems = shape_problems(QuestionnaireResponse, response)
    if problems:
        location, message = problems[0]
        raise InvalidFindingError(
            _link_id_at(response, location) or "QuestionnaireResponse",
            f"{where(location)}: {message}",
            "a valid FHIR R4 QuestionnaireResponse",
        )
    groups = {finding.group for finding in kb.findings.values()}
    answers: dict[str, FindingValue | None] = {}
    # The raw values, not the model's: it would read "yes" or 1 as a valueBoolean of true.
    _collect(_list(response, "item"), kb, groups, answers)
    return validate_findings(answers, kb)


def _collect(
    items: Iterable[Any],
    kb: KnowledgeBase,
    groups: set[str],
    answers: dict[str, FindingValue | None],
) -> None:
    for item in items:
        link_id = str(item.get("linkId"))
        given = _list(item, "answer")
        if link_id in kb.findings:
            if link_id in answers:
                raise InvalidFindingError(link_id, "is answered twice", "one item per question")
            answers[link_id] = _answer(kb.findings[link_id], given)
        elif link_id in groups:
            if given:
                raise InvalidFindingError(link_id, "a group has no answer", "items inside it")
        else:
            raise UnknownFindingError(link_id, difflib.get_close_matches(link_id, kb.findings))
        _collect(_list(item, "item"), kb, groups, answers)
        for answer in given:
            _collect(_list(answer, "item"), kb, groups, answers)


def _answer(finding: Finding, given: Sequence[Any]) -> FindingValue | None:
    code = finding.code
    allowed = _allowed(finding)
    if not given:
        return None
    if len(given) > 1:
        raise InvalidFindingError(code, f"expected one answer, got {len(given)}", allowed)
    kinds = [key for key in given[0] if key.startswith("value")]
    if not kinds:
        raise FindingTypeError(code, "the answer has no value", allowed)
    kind, value = kinds[0], given[0][kinds[0]]
    if finding.type == "bool" and kind == "valueBoolean" and isinstance(value, bool):
        return value
    if (
        finding.type == "number"
        and kind in ("valueDecimal", "valueInteger")
        and isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
    ):
        return float(value)
    if finding.type == "choice":
        if kind == "valueString" and isinstance(value, str):
            return value
        if kind == "valueCoding" and isinstance(value, dict):
            system = value.get("system")
            if system not in (None, choice_system(code)):
                raise InvalidFindingError(code, f"the coding's system is {system}", allowed)
            if isinstance(value.get("code"), str):
                return str(value["code"])
    raise FindingTypeError(code, f"{kind} {value!r} does not fit this question", allowed)


def _allowed(finding: Finding) -> str:
    if finding.type == "bool":
        return "valueBoolean"
    if finding.type == "number":
        return f"valueDecimal or valueInteger from {finding.minimum:g} to {finding.maximum:g}"
    options = ", ".join(option.value for option in finding.options)
    return f"valueCoding (system {choice_system(finding.code)}) or valueString: {options}"


def _list(node: Mapping[str, Any], key: str) -> list[Any]:
    value = node.get(key)
    return [part for part in value if isinstance(part, dict)] if isinstance(value, list) else []


def _link_id_at(node: object, location: Sequence[str | int]) -> str | None:
    """The linkId of the innermost item on the way to ``location``."""
    found = None
    for part in (*location, None):
        if isinstance(node, dict):
            if isinstance(node.get("linkId"), str):
                found = node["linkId"]
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
    return found


# --- assessment -> Bundle ---------------------------------------------------------------


def assessment_bundle(
    assessment: Assessment | dict[str, Any],
    care_plan: CarePlan | dict[str, Any],
    kb: KnowledgeBase,
    *,
    subject: str | None = None,
    made_at: datetime | None = None,
    ident: str | None = None,
) -> dict[str, Any]:
    """A collection Bundle: RiskAssessment, finding Observations and CarePlan.

    ``subject`` is a reference to the Patient ("Patient/123", "urn:uuid:..."); without one
    the resources name an unidentified user. ``ident`` (the saved assessment's id) becomes
    the identifier and makes the fullUrls stable.
    """
    entries = assessment_entries(
        assessment, care_plan, kb, subject=subject, made_at=made_at, ident=ident
    )
    return collection_bundle(entries, timestamp=made_at)


def collection_bundle(entries: Sequence[Entry], timestamp: datetime | None) -> dict[str, Any]:
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }
    if timestamp is not None:
        bundle["timestamp"] = _instant(timestamp)
    # The entries are checked models already: the Bundle takes them as they are.
    return to_json(checked(Bundle, bundle))


def assessment_entries(
    assessment: Assessment | dict[str, Any],
    care_plan: CarePlan | dict[str, Any],
    kb: KnowledgeBase,
    *,
    subject: str | None = None,
    made_at: datetime | None = None,
    ident: str | None = None,
) -> list[Entry]:
    """The Bundle entries of one assessment: RiskAssessment, Observations, CarePlan."""
    result = assessment.to_dict() if isinstance(assessment, Assessment) else assessment
    plan = care_plan.to_dict() if isinstance(care_plan, CarePlan) else care_plan
    key = (ident,) if ident else ()
    who = {"reference": subject} if subject else dict(ANONYMOUS)
    when = _instant(made_at) if made_at is not None else None
    observations: list[Entry] = [
        (
            urn_uuid(*key, "finding", code) if key else urn_uuid(),
            checked(Observation, _finding_observation(code, value, kb, who, when)),
        )
        for code, value in result["findings"].items()
        if value is not None
    ]
    risk_url = urn_uuid(*key, "risk") if key else urn_uuid()
    plan_url = urn_uuid(*key, "care-plan") if key else urn_uuid()
    risk = _risk_assessment(result, kb, who, when, ident, [url for url, _ in observations])
    care = _care_plan(plan, kb, who, when, ident, risk_url)
    return [(risk_url, risk), *observations, (plan_url, care)]


def _risk_assessment(
    result: dict[str, Any],
    kb: KnowledgeBase,
    subject: dict[str, Any],
    when: str | None,
    ident: str | None,
    basis: list[str],
) -> RiskAssessment:
    level = TriageLevel(result["triage"])
    version = str(result["knowledge_version"])
    resource: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "extension": [{"url": TRIAGE_EXTENSION, "valueCoding": triage_coding(level, kb)}],
        "status": "final",
        "method": concept(
            coding(METHOD_SYSTEM, ENGINE_CODE, "SpasmCare triage engine") | {"version": version},
            text=f"SpasmCare, knowledge version {version}",
        ),
        "code": concept(
            coding(ASSESSMENT_SYSTEM, TRIAGE_ASSESSMENT_CODE, "Back pain triage and likely causes")
        ),
        "subject": subject,
        "basis": [{"reference": url} for url in basis],
        "prediction": [_prediction(ranked) for ranked in result["differential"]],
        "mitigation": result["action"],
        "note": [{"text": _reason_text(reason, kb)} for reason in result["reasons"]]
        + [{"text": result["notice"]}],
    }
    if ident:
        resource["identifier"] = [{"system": ASSESSMENT_ID_SYSTEM, "value": ident}]
    if when:
        resource["occurrenceDateTime"] = when
    return checked(RiskAssessment, resource)


def triage_coding(level: TriageLevel, kb: KnowledgeBase) -> dict[str, Any]:
    return coding(TRIAGE_SYSTEM, level.value, kb.levels[level].label)


def _prediction(ranked: dict[str, Any]) -> dict[str, Any]:
    prediction: dict[str, Any] = {
        "outcome": concept(
            coding(CONDITION_SYSTEM, ranked["code"], ranked["name"]), text=ranked["name"]
        ),
        "probabilityDecimal": ranked["probability"],
    }
    supporting = "; ".join(c["statement"] for c in ranked.get("supporting", ()))
    opposing = "; ".join(c["statement"] for c in ranked.get("opposing", ()))
    parts = [
        f"For: {supporting}." if supporting else "",
        f"Against: {opposing}." if opposing else "",
    ]
    if rationale := " ".join(part for part in parts if part):
        prediction["rationale"] = rationale
    return prediction


def _reason_text(reason: dict[str, Any], kb: KnowledgeBase) -> str:
    label = kb.levels[TriageLevel(reason["level"])].label
    return f"{label}: {reason['text']} Sources: {source_names(reason['sources'], kb)}."


def source_names(ids: Iterable[str], kb: KnowledgeBase) -> str:
    return (
        "; ".join(f"{kb.sources[i].title} [{i}]" if i in kb.sources else i for i in ids) or "none"
    )


def finding_observation(
    code: str,
    value: FindingValue,
    kb: KnowledgeBase,
    *,
    subject: dict[str, Any],
    effective: str | None,
) -> dict[str, Any]:
    """One answer as an Observation (validated, JSON-ready)."""
    return validated(Observation, _finding_observation(code, value, kb, subject, effective))


def _finding_observation(
    code: str,
    value: FindingValue,
    kb: KnowledgeBase,
    subject: dict[str, Any],
    effective: str | None,
) -> dict[str, Any]:
    # Codes no longer in the knowledge base (an old assessment) are still written.
    finding = kb.findings.get(code)
    means = finding.means if finding else code
    codes = [coding(FINDING_SYSTEM, code, means)]
    if standard := STANDARD_FINDING_CODES.get(code):
        codes.append(dict(standard))
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": survey_category(),
        "code": concept(*codes, text=means),
        "subject": subject,
    }
    if effective:
        resource["effectiveDateTime"] = effective
    if isinstance(value, bool):
        resource["valueBoolean"] = value
    elif isinstance(value, int | float):
        resource["valueQuantity"] = quantity(value, finding.unit if finding else None)
    else:
        label = finding.option(value).label if finding and finding.type == "choice" else None
        resource["valueCodeableConcept"] = concept(
            coding(choice_system(code), value, label), text=label
        )
    return resource


def finding_from_observation(resource: dict[str, Any]) -> tuple[str, FindingValue]:
    """(code, value) of a finding Observation; InvalidFindingError if it is not one."""
    code = find_code(resource.get("code"), FINDING_SYSTEM)
    if code is None:
        raise InvalidFindingError(
            "code", "the Observation is not a SpasmCare finding", f"a coding from {FINDING_SYSTEM}"
        )
    if isinstance(resource.get("valueBoolean"), bool):
        return code, bool(resource["valueBoolean"])
    number = (resource.get("valueQuantity") or {}).get("value")
    if isinstance(number, int | float) and not isinstance(number, bool):
        return code, float(number)
    choice = find_code(resource.get("valueCodeableConcept"), choice_system(code))
    if choice is not None:
        return code, choice
    raise FindingTypeError(
        code,
        "the Observation has no value SpasmCare can read",
        f"valueBoolean, valueQuantity or valueCodeableConcept from {choice_system(code)}",
    )


def _care_plan(
    plan: dict[str, Any],
    kb: KnowledgeBase,
    subject: dict[str, Any],
    when: str | None,
    ident: str | None,
    risk_url: str,
) -> FhirCarePlan:
    activities = [_activity(item, phase) for phase in plan["phases"] for item in phase["items"]]
    notes = [
        f"{plan['warning_signs_title']}: {sign['text']} "
        f"({kb.levels[TriageLevel(sign['level'])].label}: {sign['action']})."
        for sign in plan["warning_signs"]
    ]
    notes += [_medicine_text(medicine) for medicine in plan["medicines"]]
    notes += [text for text in (plan.get("medicines_note"), plan.get("review")) if text]
    notes.append(f"Sources: {source_names(plan['sources'], kb)}.")
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": plan["headline"],
        "description": plan["action"],
        "subject": subject,
        "supportingInfo": [{"reference": risk_url}],
        "note": [{"text": text} for text in notes],
    }
    if activities:
        resource["activity"] = activities
    if ident:
        resource["identifier"] = [{"system": ASSESSMENT_ID_SYSTEM, "value": ident}]
    if when:
        resource["created"] = when
    return checked(FhirCarePlan, resource)


def _activity(item: dict[str, Any], phase: dict[str, Any]) -> dict[str, Any]:
    system = EXERCISE_SYSTEM if item["kind"] == "exercise" else CARE_ITEM_SYSTEM
    lines = [item["detail"]]
    lines += [f"Dose: {item['dose']}"] if item.get("dose") else []
    lines += [f"{number}. {step}" for number, step in enumerate(item["steps"], start=1)]
    lines += [f"Caution: {caution}" for caution in item["cautions"]]
    detail: dict[str, Any] = {
        "extension": [
            {
                "url": CARE_PHASE_EXTENSION,
                "valueCoding": coding(CARE_PHASE_SYSTEM, phase["id"], phase["title"]),
            }
        ],
        "code": concept(coding(system, item["id"], item["title"]), text=item["title"]),
        "status": "not-started",
        "scheduledString": phase["title"],
        "description": "\n".join(line for line in lines if line),
    }
    if item.get("why"):
        detail["reasonCode"] = [{"text": item["why"]}]
    return {"detail": detail}


_MEDICINE_STATUS = {
    "suggested": "suits you",
    "caution": "use with care",
    "check_first": "only if none of the cautions apply",
    "left_out": "not for you",
}


def _medicine_text(medicine: dict[str, Any]) -> str:
    status = _MEDICINE_STATUS.get(medicine["status"], medicine["status"])
    reasons = " ".join(medicine["reasons"])
    return " ".join(part for part in (f"{medicine['name']} ({status}).", reasons) if part)


def _instant(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("FHIR times need their UTC offset: give an aware datetime")
    return moment.isoformat()
