"""The adaptive interview: order, don't-know handling, stopping, and its safety properties."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.domain.triage import TriageLevel
from spasmcare.engine.interview import Question, next_step, run_interview
from spasmcare.engine.redflags import rule_status
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge

KB = default_knowledge()


def test_opens_with_age_sex_and_where_it_hurts(kb: KnowledgeBase) -> None:
    answers: dict[str, object] = {}
    asked: list[str] = []
    for expected in ("age", "sex", "pain_lower_back"):
        step = next_step(answers, asked, kb)
        assert step.question is not None and step.question.code == expected
        assert step.question.text and step.question.why
        asked.append(expected)
    assert next_step({}, [], kb).question.purpose == "about_you"  # type: ignore[union-attr]


def test_dont_know_leaves_the_finding_unknown_and_is_not_asked_again(kb: KnowledgeBase) -> None:
    step = next_step({}, ["age"], kb)
    assert step.question is not None and step.question.code == "sex"
    assert "age" not in step.assessment.findings


def test_low_back_pain_brings_the_cauda_equina_questions(kb: KnowledgeBase) -> None:
    answers = {"age": 40.0, "sex": "male", "pain_lower_back": True}
    step = next_step(answers, list(answers), kb)
    assert step.question is not None
    assert step.question.code in {"saddle_numbness", "bladder_dysfunction"}
    assert step.question.purpose == "warning_sign"
    assert "cauda_equina_signs" in step.question.screens


def test_pain_nowhere_in_the_back_itself_brings_a_question_about_the_front(
    kb: KnowledgeBase,
) -> None:
    """Gallbladder pain reaches the back from under the right ribs; until that is known,
    its warning signs (a fever with yellow eyes) are not asked in time."""
    answers: dict[str, object] = {"age": 74.0, "sex": "female"}
    answers |= dict.fromkeys(("pain_lower_back", "pain_mid_back", "pain_upper_back"), False)
    answers["pain_flank"] = False
    step = next_step(answers, list(answers), kb)
    assert step.question is not None and step.question.code == "pain_upper_right_abdomen"


def test_a_fever_with_gallbladder_pain_is_screened_for_yellow_eyes_early(
    kb: KnowledgeBase,
) -> None:
    """With the emergency screen, not as the last of 25 questions (the cap)."""
    told = {"age": 74.0, "sex": "female", "pain_upper_right_abdomen": True, "fever": True}
    told["jaundice"] = True

    def answer(question: Question) -> object:
        return told.get(question.code, False if question.type == "bool" else None)

    outcome = run_interview(answer, kb)
    assert outcome.assessment.triage is TriageLevel.EMERGENCY
    assert "fever_with_yellow_skin_or_eyes" in {r.rule for r in outcome.assessment.reasons}
    assert len(outcome.asked) <= 15


def test_a_sudden_pain_is_asked_whether_it_tears_at_any_age(kb: KnowledgeBase) -> None:
    """A young person with Marfan syndrome who cannot rate the pain: the tearing question
    must not wait for age 40 or a pain score (aortic dissection, AHA/ACC 2022)."""
    told = {
        "age": 31.0,
        "pain_lower_back": True,
        "pain_mid_back": True,
        "onset_sudden": True,
        "pain_tearing": True,
        "connective_tissue_disorder": True,
        "duration_days": 0.007,
    }

    def answer(question: Question) -> object:
        return told.get(question.code, False if question.type == "bool" else None)

    outcome = run_interview(answer, kb)
    assert outcome.assessment.triage is TriageLevel.EMERGENCY
    assert "sudden_tearing_pain" in {r.rule for r in outcome.assessment.reasons}


def test_a_positive_emergency_sign_ends_quickly_as_emergency(kb: KnowledgeBase) -> None:
    def answer(question: Question) -> object:
        return {"age": 45.0, "sex": "female", "pain_lower_back": True, "saddle_numbness": True}.get(
            question.code, False if question.type == "bool" else None
        )

    outcome = run_interview(answer, kb)
    assert outcome.assessment.triage is TriageLevel.EMERGENCY
    assert len(outcome.asked) <= 12


def test_every_question_is_askable_and_never_repeated(kb: KnowledgeBase) -> None:
    seen: list[str] = []

    def answer(question: Question) -> object:
        assert question.code not in seen
        seen.append(question.code)
        assert kb.findings[question.code].use != "medicine_safety"
        return False if question.type == "bool" else None

    run_interview(answer, kb)
    assert "pregnant" not in seen or "sex" in seen


def test_the_pregnancy_signs_are_asked_once_she_says_she_is_pregnant(kb: KnowledgeBase) -> None:
    strain = {"age": 30.0, "sex": "female", "pain_lower_back": True, "trigger_lifting": True}
    signs = {"pregnancy_tightenings", "vaginal_bleeding", "waters_leaking", "baby_moving_less"}

    def asked(start: dict[str, object]) -> set[str]:
        codes: list[str] = []

        def answer(question: Question) -> object:
            codes.append(question.code)
            return False if question.type == "bool" else None

        run_interview(answer, kb, start={**strain, **start})
        return set(codes)

    assert signs <= asked({"pregnant": True})
    assert not signs & asked({"pregnant": False})


def test_dont_know_to_everything_is_escalated_not_self_care(kb: KnowledgeBase) -> None:
    outcome = run_interview(lambda question: None, kb)
    assert outcome.assessment.triage is not TriageLevel.SELF_CARE
    assert outcome.assessment.not_ruled_out


def test_answers_given_up_front_are_not_asked_again(kb: KnowledgeBase) -> None:
    start = {"age": 30.0, "sex": "male", "pain_lower_back": True, "fever": False}
    asked: list[str] = []

    def answer(question: Question) -> object:
        asked.append(question.code)
        return False if question.type == "bool" else None

    run_interview(answer, kb, start=start)
    assert not set(asked) & set(start)


answer_tables = st.dictionaries(
    st.sampled_from(sorted(c for c, f in KB.findings.items() if f.type == "bool")),
    st.sampled_from([True, False, None]),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=answer_tables,
    age=st.one_of(st.none(), st.integers(0, 100)),
    sex=st.sampled_from(["female", "male", None]),
)
def test_never_self_care_while_a_relevant_warning_sign_is_unasked(
    table: dict[str, bool | None], age: int | None, sex: str | None
) -> None:
    """Whatever the answers (yes, no or don't know), a self-care result means every
    warning-sign rule that the answers made relevant was asked and ruled out."""
    given_answers = {**table, "age": age, "sex": sex}

    def answer(question: Question) -> object:
        if question.type == "bool":
            return given_answers.get(question.code, False)
        return given_answers.get(question.code)

    outcome = run_interview(answer, KB)
    if outcome.assessment.triage is TriageLevel.SELF_CARE:
        assert rule_status(KB, outcome.assessment.findings).pending == ()
        assert outcome.assessment.not_ruled_out == ()
