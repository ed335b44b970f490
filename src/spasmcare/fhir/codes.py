"""The code systems, extensions and units SpasmCare's FHIR resources use.

Our own concepts live under ``BASE`` (a placeholder domain until the project has a real
one). Standard codes appear only where their meaning is certain: LOINC 72514-3 for 0-10
pain scores, UCUM units, and HL7's observation-category and data-absent-reason codes.
"""

from __future__ import annotations

import uuid
from typing import Any

BASE = "https://spasmcare.example/fhir"

# Code systems.
FINDING_SYSTEM = f"{BASE}/CodeSystem/finding"  # the finding codes of shared/spec/findings.yaml
CONDITION_SYSTEM = f"{BASE}/CodeSystem/condition"
TRIAGE_SYSTEM = f"{BASE}/CodeSystem/triage"  # emergency | urgent | routine | self_care
DIARY_SYSTEM = f"{BASE}/CodeSystem/diary"  # what a diary Observation or component records
DIARY_LOCATION_SYSTEM = f"{BASE}/CodeSystem/diary-location"
REMEDY_SYSTEM = f"{BASE}/CodeSystem/remedy"
EXERCISE_SYSTEM = f"{BASE}/CodeSystem/exercise"
CARE_ITEM_SYSTEM = f"{BASE}/CodeSystem/care-item"  # care plan items other than exercises
CARE_PHASE_SYSTEM = f"{BASE}/CodeSystem/care-phase"
ASSESSMENT_SYSTEM = f"{BASE}/CodeSystem/assessment"
METHOD_SYSTEM = f"{BASE}/CodeSystem/method"

# Identifier systems (the record ids SpasmCare gave).
ACCOUNT_ID_SYSTEM = f"{BASE}/sid/account"
ASSESSMENT_ID_SYSTEM = f"{BASE}/sid/assessment"
DIARY_ENTRY_ID_SYSTEM = f"{BASE}/sid/diary-entry"

# Extensions.
TRIAGE_EXTENSION = f"{BASE}/StructureDefinition/triage-level"  # valueCoding (TRIAGE_SYSTEM)
TIMEZONE_EXTENSION = f"{BASE}/StructureDefinition/timezone"  # valueCode: an IANA zone name
CARE_PHASE_EXTENSION = f"{BASE}/StructureDefinition/care-phase"  # valueCoding
MIN_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/maxValue"
QUESTIONNAIRE_UNIT_EXTENSION = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"

# Standard terminologies.
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

PAIN_SEVERITY_LOINC = "72514-3"
PAIN_SEVERITY_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PAIN_SCORE_UNIT = "{score}"

# Knowledge-base units (findings.yaml `unit`) as UCUM codes.
UCUM_OF_UNIT = {"years": "a", "days": "d", "hours": "h", "0-10": PAIN_SCORE_UNIT}

# Findings that standard codes also describe.
STANDARD_FINDING_CODES: dict[str, dict[str, str]] = {
    "severity": {"system": LOINC, "code": PAIN_SEVERITY_LOINC, "display": PAIN_SEVERITY_DISPLAY}
}

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"system": system, "code": code}
    if display:
        result["display"] = display
    return result


def concept(*codings: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"coding": list(codings)}
    if text:
        result["text"] = text
    return result


def choice_system(finding_code: str) -> str:
    """The code system of one choice finding's answers (e.g. .../finding/sex)."""
    return f"{FINDING_SYSTEM}/{finding_code}"


def quantity(value: float, unit: str | None, ucum: str | None = None) -> dict[str, Any]:
    """A Quantity; UCUM-coded when the UCUM code is given or the unit is one we know."""
    result: dict[str, Any] = {"value": value}
    if unit:
        result["unit"] = unit
    code = ucum or (UCUM_OF_UNIT.get(unit) if unit else None)
    if code:
        result |= {"system": UCUM, "code": code}
    return result


def survey_category() -> list[dict[str, Any]]:
    return [concept(coding(OBSERVATION_CATEGORY, "survey", "Survey"))]


def urn_uuid(*parts: str) -> str:
    """A stable urn:uuid for a record (same parts, same id: re-exports stay comparable);
    a random one when no parts are given."""
    value = uuid.uuid5(_NAMESPACE, "/".join(parts)) if parts else uuid.uuid4()
    return f"urn:uuid:{value}"


def find_code(codeable: object, system: str) -> str | None:
    """The code of the first coding from ``system`` in a CodeableConcept dict."""
    if not isinstance(codeable, dict):
        return None
    for item in codeable.get("coding") or ():
        if isinstance(item, dict) and item.get("system") == system:
            code = item.get("code")
            return code if isinstance(code, str) else None
    return None


def extension_value(resource: dict[str, Any], url: str, key: str) -> Any:
    """The ``key`` value (e.g. "valueCode") of the first extension with this url."""
    for extension in resource.get("extension") or ():
        if isinstance(extension, dict) and extension.get("url") == url:
            return extension.get(key)
    return None
