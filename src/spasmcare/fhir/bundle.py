"""A person's records as one FHIR Bundle, and reading such a Bundle back.

Export: a collection Bundle with the Patient (identifier = the account id under
``ACCOUNT_ID_SYSTEM``, telecom = the email), each saved assessment as assessment.py writes
it (RiskAssessment, finding Observations, CarePlan), and the diary as diary.py writes it.

Import is all or nothing: the Bundle is checked against the R4B model, every assessment's
findings and every diary entry are checked like any other input, and every problem is
reported at once (DiaryImportError) naming the entry by index and fullUrl.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient

from spasmcare.diary.inputs import (
    CheckInInput,
    EpisodeInput,
    check_checkin,
    check_episode,
    parse_model,
)
from spasmcare.diary.records import CheckIn, Episode
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.engine.findings import validate_findings
from spasmcare.errors import DiaryImportError, DiaryInputError, SpasmCareError
from spasmcare.fhir.assessment import (
    ENGINE_CODE,
    Entry,
    assessment_entries,
    collection_bundle,
    finding_from_observation,
)
from spasmcare.fhir.codes import ACCOUNT_ID_SYSTEM, METHOD_SYSTEM, find_code, urn_uuid
from spasmcare.fhir.diary import (
    checkin_observations,
    checkin_values,
    episode_observation,
    episode_values,
    is_checkin,
    is_episode,
)
from spasmcare.fhir.validation import checked, is_resource_type, shape_problems, where
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue

# Types SpasmCare writes but does not read back: the importing account is the patient,
# and care plans are made afresh from the findings.
_WRITTEN_ONLY = frozenset({"Patient", "CarePlan"})


@dataclass(frozen=True)
class SavedAssessment:
    id: str
    created_at: datetime  # aware
    findings: dict[str, Any]
    result: dict[str, Any]  # Assessment.to_dict()
    care_plan: dict[str, Any]  # CarePlan.to_dict()
    knowledge_version: str


@dataclass(frozen=True)
class ImportedRecords:
    assessments: list[tuple[datetime, dict[str, FindingValue]]]  # (created_at, findings)
    episodes: list[EpisodeInput]
    checkins: list[CheckInInput]
    ignored: list[str] = field(default_factory=list)  # entries not imported, and why


def patient_bundle(
    *,
    account_id: str,
    email: str,
    assessments: Sequence[SavedAssessment],
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    kb: KnowledgeBase,
    exported_at: datetime,
) -> dict[str, Any]:
    """Everything SpasmCare holds about a person, as a validated collection Bundle."""
    patient_url = urn_uuid("patient", account_id)
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": ACCOUNT_ID_SYSTEM, "value": account_id}],
    }
    if email:
        patient["telecom"] = [{"system": "email", "value": email}]
    entries: list[Entry] = [(patient_url, checked(Patient, patient))]
    for saved in assessments:
        result = saved.result | {
            "findings": saved.findings,
            "knowledge_version": saved.knowledge_version,
        }
        entries += assessment_entries(
            result,
            saved.care_plan,
            kb,
            subject=patient_url,
            made_at=saved.created_at,
            ident=saved.id,
        )
    vocabulary = diary_vocabulary(kb)
    for episode in episodes:
        entries.append(episode_observation(episode, subject=patient_url, vocabulary=vocabulary))
    for checkin in checkins:
        entries += checkin_observations(checkin, subject=patient_url, vocabulary=vocabulary, kb=kb)
    return collection_bundle(entries, timestamp=exported_at)


def read_patient_bundle(bundle: dict[str, Any], kb: KnowledgeBase) -> ImportedRecords:
    """The assessments' findings and the diary entries of a Bundle ``patient_bundle`` wrote.

    Raises DiaryImportError listing every problem; nothing is returned then.
    """
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise DiaryImportError(["the file is not a FHIR Bundle (resourceType is not 'Bundle')"])
    raw = bundle.get("entry") or []
    if not isinstance(raw, list):
        raise DiaryImportError(["entry: must be a list"])
    ignored: list[str] = []
    kept: list[int] = []  # positions in the original entry list
    for index, entry in enumerate(raw):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if isinstance(resource, dict) and not is_resource_type(kind):
            ignored.append(f"{_label(index, entry)}: unknown resource type {kind!r}")
        else:
            kept.append(index)
    checked_bundle = bundle | {"entry": [raw[index] for index in kept]}
    problems = [
        _located(location, message, raw, kept)
        for location, message in shape_problems(Bundle, checked_bundle)
    ]
    if problems:
        raise DiaryImportError(problems)
    # Read the values as sent (the model has checked the structure); every value is
    # checked again as a finding or a diary input.
    entries = checked_bundle["entry"]
    reader = _Reader(kb, {e["fullUrl"]: e["resource"] for e in entries if e.get("fullUrl")})
    for position, entry in zip(kept, entries, strict=True):
        reader.read(_label(position, entry), entry.get("fullUrl"), entry.get("resource"))
    if reader.problems:
        raise DiaryImportError(reader.problems)
    return ImportedRecords(
        reader.assessments, reader.episodes, reader.checkins, ignored + reader.ignored
    )


class _Reader:
    """Reads the entries of a validated Bundle, collecting problems instead of stopping."""

    def __init__(self, kb: KnowledgeBase, resources: dict[str, dict[str, Any]]) -> None:
        self.kb = kb
        self.vocabulary = diary_vocabulary(kb)
        self.resources = resources
        self.problems: list[str] = []
        self.ignored: list[str] = []
        self.assessments: list[tuple[datetime, dict[str, FindingValue]]] = []
        self.episodes: list[EpisodeInput] = []
        self.checkins: list[CheckInInput] = []
        self._days: dict[date, str] = {}
        # Observations read as part of an assessment or a check-in.
        self._parts = {
            reference
            for resource in resources.values()
            if _is_ours(resource) or is_checkin(resource)
            for reference in _references(resource, "basis" if _is_ours(resource) else "hasMember")
        }

    def read(self, label: str, url: str | None, resource: dict[str, Any] | None) -> None:
        if resource is None:
            self.ignored.append(f"{label}: no resource")
            return
        kind = resource.get("resourceType")
        try:
            if kind == "RiskAssessment" and _is_ours(resource):
                self._assessment(resource)
            elif kind == "Observation" and is_episode(resource):
                entry = parse_model(EpisodeInput, episode_values(resource))
                self.episodes.append(check_episode(entry, self.vocabulary))
            elif kind == "Observation" and is_checkin(resource):
                self._checkin(label, resource)
            elif kind == "Observation" and url in self._parts:
                pass  # read with its assessment or check-in
            elif kind not in _WRITTEN_ONLY:
                self.ignored.append(f"{label}: {kind} (not a SpasmCare record)")
        except SpasmCareError as error:
            self.problems.append(f"{label}: {error.message}")

    def _assessment(self, resource: dict[str, Any]) -> None:
        created_at = _instant(resource.get("occurrenceDateTime"))
        findings: dict[str, FindingValue] = {}
        for reference in _references(resource, "basis"):
            code, value = finding_from_observation(self._resolve(reference, "basis"))
            if code in findings:
                raise DiaryInputError("basis", f"finding {code} is given twice")
            findings[code] = value
        self.assessments.append((created_at, dict(validate_findings(findings, self.kb))))

    def _checkin(self, label: str, panel: dict[str, Any]) -> None:
        members = [self._resolve(ref, "hasMember") for ref in _references(panel, "hasMember")]
        entry = parse_model(CheckInInput, checkin_values(panel, members))
        entry = check_checkin(entry, self.vocabulary, self.kb)
        if entry.local_date in self._days:
            raise DiaryInputError(
                "local_date", f"{entry.local_date} is already in {self._days[entry.local_date]}"
            )
        self._days[entry.local_date] = label
        self.checkins.append(entry)

    def _resolve(self, reference: str, field: str) -> dict[str, Any]:
        resource = self.resources.get(reference)
        if resource is None or resource.get("resourceType") != "Observation":
            raise DiaryInputError(field, f"{reference} is not an Observation in the bundle")
        return resource


def _is_ours(resource: dict[str, Any]) -> bool:
    return (
        resource.get("resourceType") == "RiskAssessment"
        and find_code(resource.get("method"), METHOD_SYSTEM) == ENGINE_CODE
    )


def _references(resource: dict[str, Any], key: str) -> list[str]:
    return [str(ref.get("reference")) for ref in resource.get(key) or ()]


def _instant(text: object) -> datetime:
    moment = None
    if isinstance(text, str) and "T" in text:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        raise DiaryInputError("occurrenceDateTime", "needs a date and time with its UTC offset")
    return moment


def _label(index: int, entry: object) -> str:
    url = entry.get("fullUrl") if isinstance(entry, dict) else None
    return f"entry[{index}] ({url})" if url else f"entry[{index}]"


def _located(location: tuple[str | int, ...], message: str, raw: list[Any], kept: list[int]) -> str:
    """A model problem named by the original entry it is in."""
    if len(location) >= 2 and location[0] == "entry" and isinstance(location[1], int):
        index = kept[location[1]]
        rest = where(location[2:]) if len(location) > 2 else "entry"
        return f"{_label(index, raw[index])}: {rest}: {message}"
    return f"{where(location)}: {message}"
