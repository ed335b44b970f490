"""Behaviour of the engine on hand-made cases, each checking one clinical or safety idea."""

from __future__ import annotations

import json
import math

import pytest

from spasmcare.domain.triage import TriageLevel
from spasmcare.engine import DEFAULT_PARAMS, EngineParams, assess
from spasmcare.knowledge.base import KnowledgeBase
from tests.conftest import absent_bools

STRAIN = {
    "age": 30,
    "sex": "male",
    "pain_lower_back": True,
    "onset_sudden": True,
    "trigger_lifting": True,
    "pain_cramping": True,
    "worse_with_movement": True,
    "severity": 5,
    "duration_days": 2,
}


def full(kb: KnowledgeBase, **findings: object) -> dict[str, object]:
    return absent_bools(kb) | findings


def test_simple_strain_with_no_warning_signs_is_self_care(kb: KnowledgeBase) -> None:
    result = assess(full(kb, **STRAIN), kb)
    assert result.triage is TriageLevel.SELF_CARE
    assert result.differential[0].code == "muscle_strain"
    assert result.reasons[0].kind == "no_warning_signs"
    assert result.reasons[0].sources


def test_posteriors_sum_to_one_and_are_sorted(kb: KnowledgeBase) -> None:
    result = assess(full(kb, **STRAIN), kb)
    probabilities = [c.probability for c in result.differential]
    assert math.isclose(sum(probabilities), 1.0, abs_tol=1e-3)
    assert probabilities == sorted(probabilities, reverse=True)
    assert len(result.differential) == len(kb.conditions)


def test_top_conditions_show_what_raised_and_lowered_them(kb: KnowledgeBase) -> None:
    result = assess(full(kb, **STRAIN), kb)
    top = result.differential[0]
    assert "trigger_lifting" in {c.finding for c in top.supporting}
    assert all(c.weight > 0 for c in top.supporting)
    second = result.differential[1]
    assert all(c.weight < 0 for c in second.opposing)
    assert top.sources


def test_negligible_evidence_is_not_listed_for_or_against(kb: KnowledgeBase) -> None:
    """Mid-back pain is only slightly less usual for a strain than for back pain in general
    (ratio about 0.86); listing it "against" the strain confused people who came with it."""
    mid_back_strain = {
        **{k: v for k, v in STRAIN.items() if k != "pain_lower_back"},
        "pain_mid_back": True,
    }
    result = assess(mid_back_strain, kb)
    top = result.differential[0]
    assert top.code == "muscle_strain"
    assert "pain_mid_back" not in {c.finding for c in top.opposing}
    smallest = DEFAULT_PARAMS.min_contribution
    assert smallest >= 0.2  # a likelihood ratio of about 0.8 to 1.25 or further from 1
    for condition in result.differential:
        listed = (*condition.supporting, *condition.opposing)
        assert all(abs(c.weight) >= smallest for c in listed)


def test_a_red_flag_sets_a_floor_with_its_reason_and_source(kb: KnowledgeBase) -> None:
    result = assess(full(kb, **STRAIN, saddle_numbness=True), kb)
    assert result.triage is TriageLevel.EMERGENCY
    flag = next(r for r in result.red_flags if r.rule == "cauda_equina_signs")
    assert flag.findings == ("saddle_numbness",)
    assert "nice-ng59" in flag.sources
    assert result.action == kb.levels[TriageLevel.EMERGENCY].action


def test_unanswered_universal_screen_prevents_self_care(kb: KnowledgeBase) -> None:
    result = assess(STRAIN, kb)  # only the strain answers: the warning signs were not asked
    assert result.triage is TriageLevel.ROUTINE
    assert {"fever", "trauma_major", "history_cancer"} <= set(result.not_ruled_out)
    assert any(r.kind == "not_ruled_out" for r in result.reasons)


def test_low_back_or_leg_symptoms_make_the_cauda_equina_questions_relevant(
    kb: KnowledgeBase,
) -> None:
    mid_back = full(kb, **(STRAIN | {"pain_lower_back": False, "pain_mid_back": True}))
    del mid_back["saddle_numbness"]
    assert assess(mid_back, kb).triage is TriageLevel.SELF_CARE  # not relevant to mid-back pain
    for trigger in ("pain_lower_back", "pain_radiates_leg_below_knee"):
        result = assess(mid_back | {trigger: True}, kb)
        assert "saddle_numbness" in result.not_ruled_out, trigger
        assert result.triage.urgency >= TriageLevel.ROUTINE.urgency


def test_nothing_known_is_not_self_care(kb: KnowledgeBase) -> None:
    assert assess({}, kb).triage is not TriageLevel.SELF_CARE


def test_strain_that_outlasts_its_window_needs_a_check_up(kb: KnowledgeBase) -> None:
    window = kb.conditions["muscle_strain"].self_care_window_days
    assert window is not None
    result = assess(full(kb, **(STRAIN | {"duration_days": window + 7})), kb)
    assert result.triage is TriageLevel.ROUTINE
    assert result.differential[0].escalations


def test_kidney_stone_with_fever_escalates_to_emergency(kb: KnowledgeBase) -> None:
    stone = full(
        kb,
        age=40,
        sex="male",
        pain_flank=True,
        pain_colicky=True,
        pain_radiates_groin=True,
        restless_cannot_lie_still=True,
        nausea_vomiting=True,
        onset_sudden=True,
        severity=9,
    )
    assert assess(stone, kb).triage is TriageLevel.URGENT
    febrile = assess(stone | {"fever": True}, kb)
    assert febrile.triage is TriageLevel.EMERGENCY
    assert any(
        r.kind == "condition_risk" and "kidney_stone" in r.conditions for r in febrile.reasons
    )


def test_pregnancy_signs_send_her_to_the_maternity_unit_today(kb: KnowledgeBase) -> None:
    pregnant = full(kb, **{**STRAIN, "sex": "female", "pregnant": True})
    assert assess(pregnant, kb).triage is TriageLevel.SELF_CARE
    for sign in ("pregnancy_tightenings", "vaginal_bleeding", "waters_leaking", "baby_moving_less"):
        result = assess({**pregnant, sign: True}, kb)
        assert result.triage is TriageLevel.URGENT, sign
        (reason,) = [r for r in result.red_flags if r.rule == "pregnancy_labour_or_bleeding"]
        assert sign in reason.findings and "maternity unit" in reason.text
        assert "nice-ng25" in reason.sources
        # the header says where to go: the maternity unit, not the usual same-day GP
        assert "maternity unit" in result.action
    headache = assess({**pregnant, "pre_eclampsia_signs": True}, kb)
    assert "pregnancy_pre_eclampsia_signs" in {r.rule for r in headache.red_flags}
    assert "maternity unit" in headache.action
    # with a fever as well, the maternity unit stays the place to call
    feverish = assess({**pregnant, "vaginal_bleeding": True, "fever": True}, kb)
    assert "maternity unit" in feverish.action
    # the same answers from someone who is not pregnant raise nothing pregnancy-specific
    not_pregnant = assess({**pregnant, "pregnant": False, "vaginal_bleeding": True}, kb)
    assert not {r.rule for r in not_pregnant.red_flags} & {"pregnancy_labour_or_bleeding"}


def test_a_pregnant_woman_is_not_released_until_the_pregnancy_signs_are_asked(
    kb: KnowledgeBase,
) -> None:
    woman = full(kb, **{**STRAIN, "sex": "female", "pregnant": True})
    for unasked in ("pregnancy_tightenings", "vaginal_bleeding"):
        del woman[unasked]
    result = assess(woman, kb)
    assert result.triage is TriageLevel.ROUTINE
    assert {"pregnancy_tightenings", "vaginal_bleeding"} <= set(result.not_ruled_out)
    assert assess({**woman, "pregnant": False}, kb).triage is TriageLevel.SELF_CARE


def test_same_input_same_output(kb: KnowledgeBase) -> None:
    findings = full(kb, **(STRAIN | {"pain_mid_back": True, "age": 55}))
    first = json.dumps(assess(findings, kb).to_dict(), sort_keys=True)
    assert all(
        json.dumps(assess(dict(findings), kb).to_dict(), sort_keys=True) == first for _ in range(3)
    )


def test_to_dict_is_json_ready(kb: KnowledgeBase) -> None:
    data = json.loads(json.dumps(assess(full(kb, **STRAIN), kb).to_dict()))
    assert data["triage"] == "self_care"
    assert {
        "reasons",
        "differential",
        "risk",
        "red_flags",
        "knowledge_version",
        "notice",
    } <= data.keys()


def test_thresholds_are_parameters(kb: KnowledgeBase) -> None:
    disc = full(
        kb,
        age=40,
        pain_lower_back=True,
        pain_radiates_leg_below_knee=True,
        trigger_lifting=True,
        worse_with_movement=True,
        pain_sharp_stabbing=True,
    )
    assert assess(disc, kb).triage is TriageLevel.ROUTINE
    lenient = EngineParams(routine_threshold=0.999)
    assert assess(disc, kb, lenient).triage is TriageLevel.SELF_CARE


@pytest.mark.parametrize(
    ("changes", "rule", "level"),
    [
        # a burst or leaking aorta: faint with sudden severe pain, or worst-ever pain after 50
        ({"age": 72, "smoker": True, "severity": 9, "lightheaded_fainting": True},
         "fainting_with_sudden_severe_pain", TriageLevel.EMERGENCY),
        ({"age": 72, "severity": 10, "pain_worst_ever": True},
         "sudden_worst_ever_pain_over_50", TriageLevel.EMERGENCY),
        # a spinal abscess pressing on the nerves
        ({"fever": True, "leg_weakness": True}, "fever_with_nerve_deficit", TriageLevel.EMERGENCY),
        ({"trauma_major": True, "trigger_lifting": False}, "major_trauma", TriageLevel.EMERGENCY),
        # a small fall is nothing at 30 and a possible fracture at 82
        ({"age": 82, "sex": "female", "trauma_minor": True, "trigger_lifting": False},
         "small_fall_over_65", TriageLevel.URGENT),
        ({"sex": "female", "pregnant": True, "vaginal_bleeding": True, "severity": 9},
         "pregnancy_bleeding_with_shock_signs", TriageLevel.EMERGENCY),
        ({"sex": "female", "pregnant": True, "pain_upper_right_abdomen": True},
         "pregnancy_pre_eclampsia_signs", TriageLevel.URGENT),
        # sciatica in both legs: the nerves at the base of the spine (NHS: 999)
        ({"pain_radiates_leg_below_knee": True, "sciatica_both_legs": True},
         "sciatica_in_both_legs", TriageLevel.EMERGENCY),
        # pain in the front of the chest at 25 with no heart signs: still a GP's check
        ({"age": 25, "pain_mid_back": True, "pain_radiates_chest": True},
         "pain_in_front_of_chest", TriageLevel.ROUTINE),
    ],
)  # fmt: skip
def test_warning_signs_from_the_clinical_review(
    changes: dict[str, object], rule: str, level: TriageLevel, kb: KnowledgeBase
) -> None:
    result = assess(full(kb, **{**STRAIN, **changes}), kb)
    fired = {reason.rule: reason for reason in result.red_flags}
    assert rule in fired and fired[rule].level is level
    assert result.triage.urgency >= level.urgency


def test_a_small_fall_when_young_stays_self_care(kb: KnowledgeBase) -> None:
    result = assess(full(kb, **{**STRAIN, "trauma_minor": True}), kb)
    assert "small_fall_over_65" not in {reason.rule for reason in result.red_flags}


def test_the_ms_hug_is_read_as_ms_in_someone_with_ms(kb: KnowledgeBase) -> None:
    """A tight band round the ribs in someone with MS is the 'MS hug' (a routine review),
    ranked above shingles and a disc, which share the band."""
    hug = {
        "age": 47,
        "sex": "female",
        "known_multiple_sclerosis": True,
        "pain_band_around_chest": True,
        "pain_mid_back": True,
        "pain_one_side": "both",
        "pain_cramping": True,
        "previous_similar_episodes": True,
    }
    result = assess(full(kb, **hug), kb)
    top = result.differential[0]
    assert (top.code, top.presentation) == (
        "multiple_sclerosis_spasticity",
        "a tight band around the chest or ribs (the MS hug)",
    )
    assert result.triage.value == "routine"
