"""The care plan: medicine safety, consistency with the triage, and plans for every dev case."""

from __future__ import annotations

import re

import pytest

from spasmcare.domain.triage import TriageLevel
from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.evaluation.datasets import Vignette, load_vignettes
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge
from tests.conftest import DATA, absent_bools

STRAIN = {
    "age": 35,
    "sex": "male",
    "pain_lower_back": True,
    "onset_sudden": True,
    "trigger_lifting": True,
    "pain_cramping": True,
    "worse_with_movement": True,
    "severity": 5,
    "duration_days": 1,
}
SAFE = {  # every medicine-safety question answered "no"
    "kidney_disease": False,
    "stomach_ulcer_or_bleed": False,
    "takes_blood_thinners": False,
    "liver_disease": False,
    "asthma_nsaid_sensitive": False,
    "heart_failure": False,
    "nsaid_allergy": False,
}
ORAL_NSAIDS = {"ibuprofen", "naproxen"}
ALL_NSAIDS = ORAL_NSAIDS | {"topical_nsaid_gel"}


def medicines_for(kb: KnowledgeBase, **changes: object) -> dict[str, str]:
    findings = absent_bools(kb) | STRAIN | SAFE | changes
    care = plan(assess(findings, kb), kb)
    return {m.id: m.status for m in care.medicines}


def test_no_contraindication_means_every_medicine_is_offered(kb: KnowledgeBase) -> None:
    statuses = medicines_for(kb)
    assert set(statuses) == ALL_NSAIDS | {"paracetamol"}
    assert all(status in ("suggested", "caution") for status in statuses.values())


@pytest.mark.parametrize(
    ("changes", "left_out"),
    [
        ({"kidney_disease": True}, ORAL_NSAIDS),
        ({"stomach_ulcer_or_bleed": True}, ORAL_NSAIDS),
        ({"takes_blood_thinners": True}, ORAL_NSAIDS),
        ({"heart_failure": True}, ORAL_NSAIDS),
        ({"asthma_nsaid_sensitive": True}, ALL_NSAIDS),
        ({"nsaid_allergy": True}, ALL_NSAIDS),
        ({"liver_disease": True}, {"paracetamol"}),
        ({"age": 72}, ORAL_NSAIDS),
        ({"sex": "female", "pregnant": True}, ALL_NSAIDS),
    ],
)
def test_each_contraindication_suppresses_the_right_medicines(
    kb: KnowledgeBase, changes: dict[str, object], left_out: set[str]
) -> None:
    statuses = medicines_for(kb, **changes)
    assert {m for m, s in statuses.items() if s == "left_out"} >= left_out
    kept = set(statuses) - left_out
    assert all(
        statuses[m] != "left_out"
        for m in kept
        if m == "paracetamol" and "liver_disease" not in changes
    )


def test_a_left_out_medicine_says_why(kb: KnowledgeBase) -> None:
    care = plan(assess(absent_bools(kb) | STRAIN | SAFE | {"kidney_disease": True}, kb), kb)
    ibuprofen = next(m for m in care.medicines if m.id == "ibuprofen")
    assert ibuprofen.status == "left_out" and ibuprofen.reasons and ibuprofen.note


def test_unanswered_safety_questions_mean_check_first(kb: KnowledgeBase) -> None:
    care = plan(assess(STRAIN, kb), kb)  # the safety questions were never asked
    statuses = {m.id: m for m in care.medicines}
    assert statuses["ibuprofen"].status == "check_first"
    assert "kidney_disease" in statuses["ibuprofen"].unanswered


def test_doses_are_never_given_as_numbers(kb: KnowledgeBase) -> None:
    for medicine in kb.care.medicines:
        assert re.search(r"\d\s*(mg|g|ml|tablets?)\b", medicine.how_to_use) is None, medicine.id
        assert re.search(r"label|leaflet", medicine.how_to_use), medicine.id


def test_urgent_plan_leads_with_getting_care_and_holds_back_exercise(kb: KnowledgeBase) -> None:
    fracture = absent_bools(kb) | {
        "age": 78,
        "sex": "female",
        "history_osteoporosis": True,
        "onset_sudden": True,
        "pain_mid_back": True,
        "spine_point_tenderness": True,
        "trigger_lifting": True,
    }
    care = plan(assess(fracture, kb), kb)
    assert care.triage is TriageLevel.URGENT and care.get_care_now
    first = care.phases[0].items[0]
    assert first.kind == "action" and first.id == "get_care_now"
    assert care.phases[0].title == kb.care.texts["now_until_seen"]  # not "the first 2 to 3 days"
    assert not [item for item in care.items() if item.kind == "exercise"]
    assert care.review_after_days is None


def test_self_care_plan_is_phased_with_exercises_habits_and_a_review_date(
    kb: KnowledgeBase,
) -> None:
    care = plan(assess(absent_bools(kb) | STRAIN | {"trigger_prolonged_posture": True}, kb), kb)
    assert care.triage is TriageLevel.SELF_CARE
    assert [phase.id for phase in care.phases] == ["now", "this_week", "weeks_2_6", "long_term"]
    kinds = {item.kind for item in care.items()}
    assert {"treatment", "exercise", "habit"} <= kinds
    assert care.review_after_days == kb.conditions["muscle_strain"].review_after_days
    assert any(item.highlight and item.topic in ("desk", "posture") for item in care.items())
    assert all(item.sources and all(s in kb.sources for s in item.sources) for item in care.items())
    assert care.warning_signs and all(
        sign.level.urgency >= TriageLevel.URGENT.urgency for sign in care.warning_signs
    )


def test_warning_signs_leave_out_what_cannot_happen_to_this_person(kb: KnowledgeBase) -> None:
    care = plan(assess(absent_bools(kb) | STRAIN, kb), kb)
    rules = {sign.rule for sign in care.warning_signs}
    assert "cancer_history_with_worrying_pain" not in rules  # never had cancer
    assert "fever_with_back_pain" in rules  # a fever could still come


def test_a_young_mid_back_strain_still_learns_the_emergency_signs(kb: KnowledgeBase) -> None:
    """Chest pressure and cord or bladder trouble matter less for a 24-year-old with a
    mid-back strain, but if they came they would still mean calling for help."""
    findings = {
        "age": 24,
        "sex": "female",
        "pregnant": False,
        "pain_mid_back": True,
        "trigger_lifting": True,
        "worse_with_movement": True,
        "tender_to_press": True,
        "duration_days": 2,
        "severity": 6,
        "history_cancer": False,
        "trauma_major": False,
    }
    care = plan(assess(findings, kb), kb)
    rules = [sign.rule for sign in care.warning_signs]
    assert {"chest_pressure", "cauda_equina_signs", "spinal_cord_signs"} <= set(rules)
    assert {"fever_with_back_pain", "constant_pain_worse_at_night"} <= set(rules)
    assert "major_trauma_with_spinal_signs" not in rules  # answered: no serious accident
    urgencies = [sign.level.urgency for sign in care.warning_signs]
    assert urgencies == sorted(urgencies, reverse=True)


def test_costochondritis_gets_chest_wall_care(kb: KnowledgeBase) -> None:
    chest = absent_bools(kb) | {
        "age": 24,
        "sex": "female",
        "pain_chest_wall_front": True,
        "pain_radiates_chest": True,
        "tender_to_press": True,
        "worse_deep_breath": True,
        "pain_sharp_stabbing": True,
        "duration_days": 5,
    }
    care = plan(assess(chest, kb), kb)
    assert care.condition == "costochondritis"
    exercises = [item for item in care.items() if item.kind == "exercise"]
    suited = {
        e.id for e in kb.care.exercises if "chest_wall" in e.regions or "chest_wall" in e.applies_to
    }
    assert any(item.id in suited for item in exercises)
    assert not any(item.id == "massage" for item in care.items())


def test_cramps_get_rehydration_first(kb: KnowledgeBase) -> None:
    cramp = absent_bools(kb) | {
        "age": 31,
        "sex": "male",
        "pain_lower_back": True,
        "pain_cramping": True,
        "muscle_cramps_elsewhere": True,
        "recent_fluid_loss": True,
        "dark_urine_thirst": True,
        "low_fluid_intake": True,
        "duration_days": 0.5,
    }
    care = plan(assess(cramp, kb), kb)
    assert care.condition == "electrolyte_cramp"
    now = [item.id for item in care.phases[0].items]
    rehydration = [
        t.id for t in kb.care.treatments if "cramp" in t.applies_to and "now" in t.phases
    ]
    assert rehydration and set(rehydration) <= set(now)


DEV = load_vignettes(DATA / "dev_vignettes.yaml", default_knowledge())


@pytest.mark.parametrize("vignette", DEV, ids=lambda v: v.id)
def test_a_plan_for_every_dev_vignette_matches_its_triage(
    kb: KnowledgeBase, vignette: Vignette
) -> None:
    result = assess(vignette.full_findings(kb), kb)
    care = plan(result, kb)
    assert care.triage is result.triage
    exercises = [item for item in care.items() if item.kind == "exercise"]
    if result.triage.urgency >= TriageLevel.URGENT.urgency:
        assert care.phases[0].items[0].id == "get_care_now" and not exercises
    else:
        assert care.review
    fragile = {c for c, cond in kb.conditions.items() if "fragile_spine" in cond.care_tags}
    if any(c.code in fragile and c.probability >= 0.15 for c in result.differential):
        assert not exercises


def test_plan_texts_exist_for_every_phase(kb: KnowledgeBase) -> None:
    assert set(kb.care.phase_titles) == {"now", "this_week", "weeks_2_6", "long_term"}


def test_a_child_gets_same_day_care_for_night_pain_and_no_adult_advice(
    kb: KnowledgeBase,
) -> None:
    child = {"age": 9, "sex": "male", "pain_lower_back": True, "duration_days": 21, "severity": 5}
    woken = assess({**child, "night_pain": True}, kb)
    assert woken.triage is TriageLevel.URGENT
    assert "child_with_night_pain" in {reason.rule for reason in woken.red_flags}
    calm = {**child, "night_pain": False, "duration_days": 2, "trigger_overexertion": True}
    care = plan(assess(calm, kb), kb)
    offered = {item.id for item in care.items()}
    assert not offered & {"go_easy_on_alcohol", "manual_therapy", "prescription_muscle_relaxant"}
    adult = plan(assess({**calm, "age": 30}, kb), kb)
    assert "go_easy_on_alcohol" in {item.id for item in adult.items()}


def test_a_pregnant_womans_plan_says_when_to_call_the_maternity_unit(kb: KnowledgeBase) -> None:
    strain = {"age": 31, "sex": "female", "pain_lower_back": True, "trigger_lifting": True}
    pregnant = plan(assess({**strain, "pregnant": True}, kb), kb)
    signs = {sign.rule: sign for sign in pregnant.warning_signs}
    assert "maternity unit" in signs["pregnancy_labour_or_bleeding"].action
    not_pregnant = plan(assess({**strain, "pregnant": False}, kb), kb)
    assert "pregnancy_labour_or_bleeding" not in {s.rule for s in not_pregnant.warning_signs}
