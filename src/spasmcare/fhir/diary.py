"""Diary records as Observations, and back to the raw values the diary inputs check.

Episode: one Observation, code ``DIARY_SYSTEM#back-spasm-episode``, valueInteger = the
intensity (0-10), effectiveDateTime = the start in local time with its UTC offset, the
IANA zone in ``TIMEZONE_EXTENSION`` and the notes in ``note``. Components:
  spasm-duration   valueQuantity in minutes (UCUM min)
  spasm-location   valueCodeableConcept from DIARY_LOCATION_SYSTEM, one per location
  spasm-trigger    valueCodeableConcept from FINDING_SYSTEM, one per trigger
  trigger-note     valueString
  (a remedy)       code from REMEDY_SYSTEM, valueInteger = relief 0-10 (dataAbsentReason
                   "unknown" when not rated), one per remedy in the order given

Check-in: a panel Observation, code ``DIARY_SYSTEM#daily-check-in``, effectiveDateTime =
the local date, issued = when it was written, the zone in ``TIMEZONE_EXTENSION``, the note
in ``note``, components medicine-taken (REMEDY_SYSTEM), exercise-done (EXERCISE_SYSTEM)
and warning-sign (FINDING_SYSTEM), and ``hasMember`` one Observation per number given (see
``MEASURES``): pain scores also carry LOINC 72514-3, told apart by our code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.observation import Observation
from pydantic import BaseModel

from spasmcare.diary.records import CheckIn, Episode, zone
from spasmcare.diary.vocabulary import DiaryVocabulary
from spasmcare.errors import DiaryInputError
from spasmcare.fhir.codes import (
    DATA_ABSENT_REASON,
    DIARY_ENTRY_ID_SYSTEM,
    DIARY_LOCATION_SYSTEM,
    DIARY_SYSTEM,
    EXERCISE_SYSTEM,
    FINDING_SYSTEM,
    LOINC,
    PAIN_SEVERITY_DISPLAY,
    PAIN_SEVERITY_LOINC,
    REMEDY_SYSTEM,
    TIMEZONE_EXTENSION,
    UCUM,
    coding,
    concept,
    extension_value,
    find_code,
    quantity,
    survey_category,
    urn_uuid,
)
from spasmcare.fhir.validation import checked
from spasmcare.knowledge.base import KnowledgeBase

EPISODE_CODE = "back-spasm-episode"
CHECKIN_CODE = "daily-check-in"
Entry = tuple[str, BaseModel]  # (fullUrl, the checked resource)


@dataclass(frozen=True, slots=True)
class Measure:
    """A check-in number and its Observation: a 0-10 score (valueInteger) or a quantity."""

    field: str
    code: str
    display: str
    unit: str | None = None  # the UCUM code of a quantity; None for a score
    unit_name: str | None = None
    pain: bool = False  # also coded LOINC 72514-3


MEASURES = (
    Measure("pain_average", "pain-average", "Average pain over the day, 0-10", pain=True),
    Measure("pain_worst", "pain-worst", "Worst pain of the day, 0-10", pain=True),
    Measure("sleep_hours", "sleep-hours", "Hours slept", "h", "hours"),
    Measure("sleep_quality", "sleep-quality", "Sleep quality, 0 (very poor) to 10 (very good)"),
    Measure("water_litres", "water-intake", "Water drunk", "L", "litres"),
    Measure("sitting_hours", "sitting-hours", "Hours spent sitting", "h", "hours"),
    Measure("exercise_minutes", "exercise-minutes", "Minutes of exercise", "min", "minutes"),
    Measure("stress", "stress", "Stress, 0 (none) to 10 (extreme)"),
)
_MEASURE_OF_CODE = {measure.code: measure for measure in MEASURES}
_CHECKIN_LISTS = {  # component code -> (field, value system)
    "medicine-taken": ("medicines", REMEDY_SYSTEM),
    "exercise-done": ("exercises_done", EXERCISE_SYSTEM),
    "warning-sign": ("warning_signs", FINDING_SYSTEM),
}
_EPISODE_LISTS = {
    "spasm-location": ("locations", DIARY_LOCATION_SYSTEM),
    "spasm-trigger": ("triggers", FINDING_SYSTEM),
}
_DISPLAY = {
    "medicine-taken": "Medicine taken",
    "exercise-done": "Care-plan exercise done",
    "warning-sign": "Warning sign noticed",
    "spasm-location": "Where the spasm was",
    "spasm-trigger": "What was happening when it started",
    "spasm-duration": "How long it lasted",
    "trigger-note": "Trigger, in the person's words",
}


def diary_code(code: str) -> dict[str, Any]:
    return coding(DIARY_SYSTEM, code, _DISPLAY.get(code))


# --- records -> Observations ------------------------------------------------------------


def episode_observation(episode: Episode, *, subject: str, vocabulary: DiaryVocabulary) -> Entry:
    local = episode.started_at.astimezone(zone(episode.timezone))
    components: list[dict[str, Any]] = []
    if episode.duration_minutes is not None:
        components.append(
            {
                "code": concept(diary_code("spasm-duration")),
                "valueQuantity": quantity(episode.duration_minutes, "minutes", "min"),
            }
        )
    labels = {choice.id: choice.label for choice in vocabulary.locations}
    components += [
        _coded("spasm-location", DIARY_LOCATION_SYSTEM, location, labels.get(location))
        for location in episode.locations
    ]
    components += [
        _coded("spasm-trigger", FINDING_SYSTEM, code, vocabulary.trigger_label(code))
        for code in episode.triggers
    ]
    if episode.trigger_note:
        components.append(
            {"code": concept(diary_code("trigger-note")), "valueString": episode.trigger_note}
        )
    for use in episode.remedies:
        label = vocabulary.remedy_label(use.remedy)
        component: dict[str, Any] = {
            "code": concept(
                coding(REMEDY_SYSTEM, use.remedy, label), text=f"Relief from {label}, 0-10"
            )
        }
        if use.relief is None:
            component["dataAbsentReason"] = concept(coding(DATA_ABSENT_REASON, "unknown"))
        else:
            component["valueInteger"] = use.relief
        components.append(component)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "extension": [_zone(episode.timezone)],
        "identifier": [{"system": DIARY_ENTRY_ID_SYSTEM, "value": episode.id}],
        "status": "final",
        "category": survey_category(),
        "code": concept(
            coding(DIARY_SYSTEM, EPISODE_CODE, "Back spasm episode"),
            text="Back spasm episode (value: intensity 0-10)",
        ),
        "subject": {"reference": subject},
        "effectiveDateTime": local.isoformat(),
        "valueInteger": episode.intensity,
    }
    if components:
        resource["component"] = components
    if episode.notes:
        resource["note"] = [{"text": episode.notes}]
    return urn_uuid("episode", episode.id), checked(Observation, resource)


def checkin_observations(
    checkin: CheckIn, *, subject: str, vocabulary: DiaryVocabulary, kb: KnowledgeBase
) -> list[Entry]:
    """The panel first, then one Observation per number given."""
    common: dict[str, Any] = {
        "resourceType": "Observation",
        "extension": [_zone(checkin.timezone)],
        "status": "final",
        "category": survey_category(),
        "subject": {"reference": subject},
        "effectiveDateTime": checkin.local_date.isoformat(),
        "issued": checkin.recorded_at.isoformat(),
    }
    members: list[Entry] = []
    for measure in MEASURES:
        value = getattr(checkin, measure.field)
        if value is None:
            continue
        member = common | {"code": _measure_concept(measure)}
        if measure.unit is None:
            member["valueInteger"] = value
        else:
            member["valueQuantity"] = quantity(value, measure.unit_name, measure.unit)
        url = urn_uuid("checkin", checkin.id, measure.code)
        members.append((url, checked(Observation, member)))
    exercises = {exercise.id: exercise.name for exercise in kb.care.exercises}
    components = [
        _coded("medicine-taken", REMEDY_SYSTEM, m, vocabulary.remedy_label(m))
        for m in checkin.medicines
    ]
    components += [
        _coded("exercise-done", EXERCISE_SYSTEM, e, exercises.get(e))
        for e in checkin.exercises_done
    ]
    components += [
        _coded(
            "warning-sign", FINDING_SYSTEM, c, kb.findings[c].means if c in kb.findings else None
        )
        for c in checkin.warning_signs
    ]
    panel = common | {
        "identifier": [{"system": DIARY_ENTRY_ID_SYSTEM, "value": checkin.id}],
        "code": concept(coding(DIARY_SYSTEM, CHECKIN_CODE, "Daily check-in")),
    }
    if members:
        panel["hasMember"] = [{"reference": url} for url, _ in members]
    if components:
        panel["component"] = components
    if checkin.note:
        panel["note"] = [{"text": checkin.note}]
    return [(urn_uuid("checkin", checkin.id), checked(Observation, panel)), *members]


def _measure_concept(measure: Measure) -> dict[str, Any]:
    ours = coding(DIARY_SYSTEM, measure.code, measure.display)
    if measure.pain:
        loinc = coding(LOINC, PAIN_SEVERITY_LOINC, PAIN_SEVERITY_DISPLAY)
        return concept(loinc, ours, text=measure.display)
    return concept(ours, text=measure.display)


def _coded(code: str, system: str, value: str, label: str | None) -> dict[str, Any]:
    return {
        "code": concept(diary_code(code)),
        "valueCodeableConcept": concept(coding(system, value, label), text=label),
    }


def _zone(name: str) -> dict[str, Any]:
    return {"url": TIMEZONE_EXTENSION, "valueCode": name}


# --- Observations -> raw inputs ---------------------------------------------------------


def is_episode(resource: dict[str, Any]) -> bool:
    return find_code(resource.get("code"), DIARY_SYSTEM) == EPISODE_CODE


def is_checkin(resource: dict[str, Any]) -> bool:
    return find_code(resource.get("code"), DIARY_SYSTEM) == CHECKIN_CODE


def episode_values(resource: dict[str, Any]) -> dict[str, Any]:
    """The values for ``parse_model(EpisodeInput, ...)``; DiaryInputError when unreadable."""
    values: dict[str, Any] = {
        "started_at": _required(resource, "effectiveDateTime", "started_at"),
        "timezone": extension_value(resource, TIMEZONE_EXTENSION, "valueCode"),
        "intensity": _required(resource, "valueInteger", "intensity"),
        "locations": [],
        "triggers": [],
        "remedies": [],
        "notes": _note(resource),
    }
    for component in resource.get("component") or ():
        code = find_code(component.get("code"), DIARY_SYSTEM)
        remedy = find_code(component.get("code"), REMEDY_SYSTEM)
        if code in _EPISODE_LISTS:
            field, system = _EPISODE_LISTS[code]
            values[field].append(_coded_value(component, system, field))
        elif code == "spasm-duration":
            values["duration_minutes"] = _quantity(component, "min", "duration_minutes")
        elif code == "trigger-note":
            values["trigger_note"] = _required(component, "valueString", "trigger_note")
        elif remedy is not None:
            if "valueInteger" not in component and "dataAbsentReason" not in component:
                raise DiaryInputError("remedies", f"{remedy}: relief needs a valueInteger")
            values["remedies"].append({"remedy": remedy, "relief": component.get("valueInteger")})
        else:
            raise DiaryInputError("component", f"unknown episode component {_name(component)}")
    return values


def checkin_values(panel: dict[str, Any], members: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The values for ``parse_model(CheckInInput, ...)``; DiaryInputError when unreadable."""
    values: dict[str, Any] = {
        "local_date": _required(panel, "effectiveDateTime", "local_date"),
        "timezone": extension_value(panel, TIMEZONE_EXTENSION, "valueCode"),
        "medicines": [],
        "exercises_done": [],
        "warning_signs": [],
        "note": _note(panel),
    }
    for component in panel.get("component") or ():
        code = find_code(component.get("code"), DIARY_SYSTEM)
        if code not in _CHECKIN_LISTS:
            raise DiaryInputError("component", f"unknown check-in component {_name(component)}")
        field, system = _CHECKIN_LISTS[code]
        values[field].append(_coded_value(component, system, field))
    for member in members:
        code = find_code(member.get("code"), DIARY_SYSTEM)
        measure = _MEASURE_OF_CODE.get(code or "")
        if measure is None:
            raise DiaryInputError("hasMember", f"unknown check-in measure {_name(member)}")
        if measure.field in values:
            raise DiaryInputError(measure.field, "is given twice")
        if measure.unit is None:
            values[measure.field] = _required(member, "valueInteger", measure.field)
        else:
            values[measure.field] = _quantity(member, measure.unit, measure.field)
    return values


def _required(node: dict[str, Any], key: str, field: str) -> Any:
    if node.get(key) is None:
        raise DiaryInputError(field, f"{key} is missing")
    return node[key]


def _quantity(node: dict[str, Any], unit: str, field: str) -> Any:
    given = _required(node, "valueQuantity", field)
    if given.get("code") not in (None, unit) or given.get("system") not in (None, UCUM):
        raise DiaryInputError(field, f"expected a quantity in UCUM '{unit}'")
    return _required(given, "value", field)


def _coded_value(component: dict[str, Any], system: str, field: str) -> str:
    code = find_code(component.get("valueCodeableConcept"), system)
    if code is None:
        raise DiaryInputError(field, f"expected a valueCodeableConcept from {system}")
    return code


def _note(resource: dict[str, Any]) -> str | None:
    texts = [note.get("text") for note in resource.get("note") or ()]
    return "\n".join(text for text in texts if text) or None


def _name(node: dict[str, Any]) -> str:
    codeable = node.get("code") or {}
    codings = [f"{c.get('system')}#{c.get('code')}" for c in codeable.get("coding") or ()]
    return ", ".join(codings) or str(codeable.get("text", "without a code"))
