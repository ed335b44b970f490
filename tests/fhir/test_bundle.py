"""A person's records as a FHIR Bundle and back: nothing lost, nothing half imported."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spasmcare.diary.inputs import CheckInInput, EpisodeInput, parse_model
from spasmcare.diary.records import CheckIn, Episode, RemedyUse, local_date_of
from spasmcare.diary.transfer import diary_json
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.engine.findings import validate_findings
from spasmcare.errors import DiaryImportError
from spasmcare.fhir.bundle import (
    ImportedRecords,
    SavedAssessment,
    patient_bundle,
    read_patient_bundle,
)
from spasmcare.fhir.codes import (
    ACCOUNT_ID_SYSTEM,
    DIARY_SYSTEM,
    FINDING_SYSTEM,
    LOINC,
    TIMEZONE_EXTENSION,
    UCUM,
    find_code,
)
from spasmcare.knowledge.base import KnowledgeBase
from tests.fhir import entries_of, revalidate

LONDON = "Europe/London"
TOKYO = "Asia/Tokyo"
EXPORTED_AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
FINDING_SETS = [
    {
        "age": 61,
        "sex": "male",
        "pain_mid_back": True,
        "pain_pressure_chest": True,
        "sweating_clammy": True,
        "severity": 8,
    },
    {
        "age": 34,
        "sex": "female",
        "pregnant": False,
        "pain_lower_back": True,
        "trigger_lifting": True,
        "onset_sudden": True,
        "pain_one_side": "right",
        "duration_days": 0.1,
        "fever": False,
    },
    {"age": 45.5, "pain_upper_back": True, "desk_hours_per_day": 9, "trigger_stress": True},
]


def saved_assessments(kb: KnowledgeBase) -> list[SavedAssessment]:
    moments = [
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo(LONDON)),
        datetime(2026, 3, 29, 9, 15, 30, 250000, tzinfo=ZoneInfo(TOKYO)),
    ]
    saved = []
    for number, (raw, moment) in enumerate(zip(FINDING_SETS, moments, strict=True)):
        result = assess(validate_findings(raw, kb), kb)
        saved.append(
            SavedAssessment(
                id=f"a-{number}",
                created_at=moment,
                findings=dict(result.findings),
                result=result.to_dict(),
                care_plan=plan(result, kb).to_dict(),
                knowledge_version=result.knowledge_version,
            )
        )
    return saved


def make_episode(ident: str, started_at: datetime, timezone: str, **values: Any) -> Episode:
    fields: dict[str, Any] = {
        "duration_minutes": 45,
        "locations": ("mid",),
        "intensity": 6,
        "triggers": (),
        "trigger_note": None,
        "remedies": (),
        "notes": None,
    }
    return Episode(
        id=ident,
        started_at=started_at,
        timezone=timezone,
        local_date=local_date_of(started_at, timezone),
        **(fields | values),
    )


def episodes() -> list[Episode]:
    return [
        # London, the night the clocks go forward: 00:30 GMT and 02:30 BST.
        make_episode(
            "e-1",
            datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
            LONDON,
            locations=("lower", "mid"),
            triggers=("trigger_lifting", "trigger_twisting"),
            trigger_note="picked up the dog — twisted",
            remedies=(RemedyUse("heat", 6), RemedyUse("ibuprofen", None)),
            notes="Woke up stiff.\nSecond line: «quotes» ✓",
        ),
        make_episode("e-2", datetime(2026, 3, 29, 1, 30, tzinfo=UTC), LONDON, intensity=0),
        # The night they go back: 01:30 BST, then 01:30 GMT an hour later.
        make_episode("e-3", datetime(2026, 10, 25, 0, 30, tzinfo=UTC), LONDON, intensity=10),
        make_episode(
            "e-4",
            datetime(2026, 10, 25, 1, 30, 15, 500, tzinfo=UTC),
            LONDON,
            duration_minutes=None,
            locations=("upper",),
            remedies=(RemedyUse("stretching", 0),),
        ),
        # Tokyo: already the next day there.
        make_episode("e-5", datetime(2026, 3, 28, 20, 0, tzinfo=UTC), TOKYO, duration_minutes=0),
    ]


def checkins(kb: KnowledgeBase) -> list[CheckIn]:
    vocabulary = diary_vocabulary(kb)
    exercises = tuple(exercise.id for exercise in kb.care.exercises[:2])
    blank: dict[str, Any] = {
        "pain_average": None,
        "pain_worst": None,
        "sleep_hours": None,
        "sleep_quality": None,
        "water_litres": None,
        "sitting_hours": None,
        "exercise_minutes": None,
        "stress": None,
        "medicines": (),
        "exercises_done": (),
        "warning_signs": (),
        "note": None,
    }

    def checkin(ident: str, day: date, timezone: str, recorded: datetime, **values: Any) -> CheckIn:
        return CheckIn(
            id=ident, local_date=day, timezone=timezone, recorded_at=recorded, **(blank | values)
        )

    return [
        checkin(
            "c-1",
            date(2026, 3, 29),
            LONDON,
            datetime(2026, 3, 29, 21, 0, tzinfo=UTC),
            pain_average=3,
            pain_worst=6,
            sleep_hours=7.3,
            sleep_quality=6,
            water_litres=1.75,
            sitting_hours=8.5,
            exercise_minutes=30,
            stress=7,
            medicines=("ibuprofen", "paracetamol"),
            exercises_done=exercises,
            warning_signs=(vocabulary.checkin_warning_signs[0],),
            note="Long day at the desk.",
        ),
        checkin(
            "c-2",
            date(2026, 10, 25),
            LONDON,
            datetime(2026, 10, 25, 23, 30, tzinfo=UTC),
            pain_average=2,
        ),
        checkin(
            "c-3",
            date(2026, 3, 30),
            TOKYO,
            datetime(2026, 3, 29, 15, 0, tzinfo=UTC),
            pain_average=0,
            pain_worst=0,
            sleep_hours=0.0,
            water_litres=0.0,
            sitting_hours=0.0,
            exercise_minutes=0,
            stress=0,
            sleep_quality=0,
        ),
        checkin(
            "c-4", date(2026, 3, 31), TOKYO, datetime(2026, 3, 31, 1, 0, tzinfo=UTC), note="ok"
        ),
    ]


@pytest.fixture(scope="module")
def records(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "assessments": saved_assessments(kb),
        "episodes": episodes(),
        "checkins": checkins(kb),
    }


@pytest.fixture(scope="module")
def bundle(records: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    return patient_bundle(
        account_id="acct-7",
        email="someone@example.org",
        kb=kb,
        exported_at=EXPORTED_AT,
        **records,
    )


def through_json(bundle: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(bundle))
    return result


def by_code(bundle: dict[str, Any], system: str, code: str) -> list[dict[str, Any]]:
    return [
        entry
        for entry in entries_of(bundle, "Observation")
        if find_code(entry["resource"]["code"], system) == code
    ]


# --- export ---------------------------------------------------------------------------


def test_every_resource_is_valid_r4b(bundle: dict[str, Any]) -> None:
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    assert revalidate(bundle) == bundle
    for entry in bundle["entry"]:
        assert revalidate(entry["resource"]) == entry["resource"]
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(urls) == len(set(urls))
    assert all(url.startswith("urn:uuid:") for url in urls)


def test_references_stay_inside_the_bundle(bundle: dict[str, Any]) -> None:
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    text = json.dumps(bundle)
    references = [part.split('"')[0] for part in text.split('"reference": "')[1:]]
    assert references
    assert set(references) <= urls


def test_the_patient(bundle: dict[str, Any]) -> None:
    (entry,) = entries_of(bundle, "Patient")
    patient = entry["resource"]
    assert patient["identifier"] == [{"system": ACCOUNT_ID_SYSTEM, "value": "acct-7"}]
    assert patient["telecom"] == [{"system": "email", "value": "someone@example.org"}]
    for kind in ("RiskAssessment", "CarePlan", "Observation"):
        for other in entries_of(bundle, kind):
            assert other["resource"]["subject"] == {"reference": entry["fullUrl"]}


def test_each_assessment_is_written_whole(bundle: dict[str, Any], records: dict[str, Any]) -> None:
    assert len(entries_of(bundle, "RiskAssessment")) == len(records["assessments"])
    assert len(entries_of(bundle, "CarePlan")) == len(records["assessments"])
    times = [e["resource"]["occurrenceDateTime"] for e in entries_of(bundle, "RiskAssessment")]
    assert times == [
        "2026-03-29T00:30:00Z",
        "2026-10-25T01:30:00+01:00",
        "2026-03-29T09:15:30.250000+09:00",
    ]


def test_an_episode_keeps_its_local_time_offset_and_zone(bundle: dict[str, Any]) -> None:
    episodes = by_code(bundle, DIARY_SYSTEM, "back-spasm-episode")
    starts = [e["resource"]["effectiveDateTime"] for e in episodes]
    assert starts == [
        "2026-03-29T00:30:00Z",  # GMT, before the change
        "2026-03-29T02:30:00+01:00",
        "2026-10-25T01:30:00+01:00",
        "2026-10-25T01:30:15.000500Z",  # the same wall time an hour later, GMT again
        "2026-03-29T05:00:00+09:00",
    ]
    first = episodes[0]["resource"]
    assert first["valueInteger"] == 6
    assert {"url": TIMEZONE_EXTENSION, "valueCode": LONDON} in first["extension"]
    relief = [c for c in first["component"] if "dataAbsentReason" in c or "valueInteger" in c]
    assert [c.get("valueInteger") for c in relief] == [6, None]


def test_a_checkin_is_a_panel_of_observations(bundle: dict[str, Any]) -> None:
    panels = by_code(bundle, DIARY_SYSTEM, "daily-check-in")
    assert [p["resource"]["effectiveDateTime"] for p in panels] == [
        "2026-03-29",
        "2026-10-25",
        "2026-03-30",
        "2026-03-31",
    ]
    first = panels[0]["resource"]
    assert first["issued"] == "2026-03-29T21:00:00Z"
    assert {"url": TIMEZONE_EXTENSION, "valueCode": LONDON} in first["extension"]
    assert len(first["hasMember"]) == 8
    average = by_code(bundle, DIARY_SYSTEM, "pain-average")[0]["resource"]
    worst = by_code(bundle, DIARY_SYSTEM, "pain-worst")[0]["resource"]
    for observation, value in ((average, 3), (worst, 6)):
        assert find_code(observation["code"], LOINC) == "72514-3"
        assert observation["valueInteger"] == value
        assert observation["effectiveDateTime"] == "2026-03-29"
    # 5 check-in pain scores (2 + 1 + 2) and the first assessment's severity
    assert len(by_code(bundle, LOINC, "72514-3")) == 6
    units = {
        "sleep-hours": "h",
        "water-intake": "L",
        "sitting-hours": "h",
        "exercise-minutes": "min",
    }
    for code, unit in units.items():
        quantity = by_code(bundle, DIARY_SYSTEM, code)[0]["resource"]["valueQuantity"]
        assert (quantity["system"], quantity["code"]) == (UCUM, unit)
    signs = [c for c in first["component"] if find_code(c["code"], DIARY_SYSTEM) == "warning-sign"]
    assert find_code(signs[0]["valueCodeableConcept"], FINDING_SYSTEM) is not None


# --- import ---------------------------------------------------------------------------


def expected_inputs(
    records: dict[str, Any],
) -> tuple[list[EpisodeInput], list[CheckInInput]]:
    """What the diary's own JSON export gives: the reference for 'nothing lost'."""
    data = json.loads(json.dumps(diary_json(records["episodes"], records["checkins"])))
    return (
        [parse_model(EpisodeInput, item) for item in data["episodes"]],
        [parse_model(CheckInInput, item) for item in data["checkins"]],
    )


def test_round_trip_through_json_text(
    bundle: dict[str, Any], records: dict[str, Any], kb: KnowledgeBase
) -> None:
    imported = read_patient_bundle(through_json(bundle), kb)
    assert isinstance(imported, ImportedRecords)
    assert imported.ignored == []
    assert len(imported.assessments) == len(records["assessments"])
    for (created_at, findings), saved in zip(
        imported.assessments, records["assessments"], strict=True
    ):
        assert findings == saved.findings
        # Compared as instants: Python never finds an ambiguous local time (01:30 on the
        # night the clocks go back) equal to a time in another zone.
        assert created_at.timestamp() == saved.created_at.timestamp()
        assert created_at.utcoffset() == saved.created_at.utcoffset()
    episodes, checkins = expected_inputs(records)
    assert len(imported.episodes) == len(episodes)
    for got, want in zip(imported.episodes, episodes, strict=True):
        for name in EpisodeInput.model_fields:
            assert getattr(got, name) == getattr(want, name), name
        assert got.started_at.utcoffset() == want.started_at.utcoffset()
    assert len(imported.checkins) == len(checkins)
    for got_checkin, want_checkin in zip(imported.checkins, checkins, strict=True):
        for name in CheckInInput.model_fields:
            assert getattr(got_checkin, name) == getattr(want_checkin, name), name


def test_unknown_and_foreign_resources_are_ignored(
    bundle: dict[str, Any], kb: KnowledgeBase
) -> None:
    extra = through_json(bundle)
    extra["entry"] += [
        {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Basic", "code": {"text": "x"}}},
        {"fullUrl": "urn:uuid:2", "resource": {"resourceType": "SomethingNew", "x": 1}},
        {
            "fullUrl": "urn:uuid:3",
            "resource": {
                "resourceType": "Observation",
                "status": "final",
                "code": {"coding": [{"system": LOINC, "code": "72514-3"}]},
                "valueInteger": 4,
            },
        },
    ]
    imported = read_patient_bundle(extra, kb)
    first = len(bundle["entry"])
    assert sorted(imported.ignored) == [
        f"entry[{first}] (urn:uuid:1): Basic (not a SpasmCare record)",
        f"entry[{first + 1}] (urn:uuid:2): unknown resource type 'SomethingNew'",
        f"entry[{first + 2}] (urn:uuid:3): Observation (not a SpasmCare record)",
    ]
    assert len(imported.episodes) == 5
    assert len(imported.checkins) == 4


def broken(
    bundle: dict[str, Any], system: str, code: str, nth: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A copy of the bundle and the nth entry with that code, to break."""
    copied = through_json(bundle)
    entry = by_code(copied, system, code)[nth]
    return copied, entry


def test_one_broken_episode_refuses_everything(bundle: dict[str, Any], kb: KnowledgeBase) -> None:
    copied, entry = broken(bundle, DIARY_SYSTEM, "back-spasm-episode", 2)
    entry["resource"]["valueInteger"] = 15
    with pytest.raises(DiaryImportError) as caught:
        read_patient_bundle(copied, kb)
    (problem,) = caught.value.problems
    assert entry["fullUrl"] in problem
    assert "intensity" in problem


def test_every_problem_is_listed(bundle: dict[str, Any], kb: KnowledgeBase) -> None:
    copied, episode = broken(bundle, DIARY_SYSTEM, "back-spasm-episode", 0)
    episode["resource"]["component"].append(
        {
            "code": {"coding": [{"system": DIARY_SYSTEM, "code": "spasm-location"}]},
            "valueCodeableConcept": {
                "coding": [{"system": DIARY_SYSTEM + "-location", "code": "neck"}]
            },
        }
    )
    worst = by_code(copied, DIARY_SYSTEM, "pain-worst")[0]
    worst["resource"]["valueInteger"] = 1  # below that day's average of 3
    severity = by_code(copied, FINDING_SYSTEM, "severity")[0]
    severity["resource"]["valueQuantity"]["value"] = 12
    with pytest.raises(DiaryImportError) as caught:
        read_patient_bundle(copied, kb)
    problems = caught.value.problems
    assert len(problems) == 3
    (risk,) = [e for e in entries_of(copied, "RiskAssessment") if e["fullUrl"] in problems[0]]
    assert "severity" in problems[0]
    assert {"reference": severity["fullUrl"]} in risk["resource"]["basis"]
    assert episode["fullUrl"] in problems[1] and "neck" in problems[1]
    assert worst["fullUrl"] not in problems[2] and "pain_worst" in problems[2]


def test_an_invalid_resource_is_named_by_its_entry(
    bundle: dict[str, Any], kb: KnowledgeBase
) -> None:
    copied, panel = broken(bundle, DIARY_SYSTEM, "daily-check-in", 1)
    panel["resource"]["effectiveDateTime"] = "2026-13-01"
    index = copied["entry"].index(panel)
    with pytest.raises(DiaryImportError) as caught:
        read_patient_bundle(copied, kb)
    (problem,) = caught.value.problems
    assert problem.startswith(f"entry[{index}] ({panel['fullUrl']})")
    assert "effectiveDateTime" in problem


def test_a_day_given_twice_is_refused(bundle: dict[str, Any], kb: KnowledgeBase) -> None:
    copied, panel = broken(bundle, DIARY_SYSTEM, "daily-check-in", 3)
    panel["resource"]["effectiveDateTime"] = "2026-03-30"
    with pytest.raises(DiaryImportError, match="2026-03-30 is already in entry"):
        read_patient_bundle(copied, kb)


def test_a_missing_member_or_basis_is_a_problem(bundle: dict[str, Any], kb: KnowledgeBase) -> None:
    copied = through_json(bundle)
    gone = {
        by_code(copied, DIARY_SYSTEM, "sleep-hours")[0]["fullUrl"],
        by_code(copied, FINDING_SYSTEM, "trigger_lifting")[0]["fullUrl"],
    }
    copied["entry"] = [e for e in copied["entry"] if e["fullUrl"] not in gone]
    with pytest.raises(DiaryImportError) as caught:
        read_patient_bundle(copied, kb)
    assert len(caught.value.problems) == 2
    assert all("is not an Observation in the bundle" in p for p in caught.value.problems)


def test_an_assessment_needs_its_time(bundle: dict[str, Any], kb: KnowledgeBase) -> None:
    copied = through_json(bundle)
    risk = entries_of(copied, "RiskAssessment")[0]["resource"]
    risk["occurrenceDateTime"] = "2026-03-29"
    with pytest.raises(DiaryImportError, match="occurrenceDateTime"):
        read_patient_bundle(copied, kb)


@pytest.mark.parametrize(
    "bad",
    [[], {"resourceType": "Patient"}, {"resourceType": "Bundle", "entry": {}}],
)
def test_not_a_bundle(bad: Any, kb: KnowledgeBase) -> None:
    with pytest.raises(DiaryImportError):
        read_patient_bundle(bad, kb)


def test_an_empty_bundle_imports_nothing(kb: KnowledgeBase) -> None:
    empty = patient_bundle(
        account_id="a",
        email="",
        assessments=[],
        episodes=[],
        checkins=[],
        kb=kb,
        exported_at=EXPORTED_AT,
    )
    imported = read_patient_bundle(empty, kb)
    assert (imported.assessments, imported.episodes, imported.checkins) == ([], [], [])
    assert copy.deepcopy(empty) == empty
