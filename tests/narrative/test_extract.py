"""The free-text reader: everyday phrasings, denials, uncertainty, hypotheticals, typos."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.narrative.extract import extract

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "extraction_cases.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_sentence(case: dict[str, object], kb: KnowledgeBase) -> None:
    found = extract(str(case["text"]), kb).findings
    for code in case.get("present", []):  # type: ignore[attr-defined]
        assert found.get(code) is True, f"{code} not read as present: {found}"
    for code in case.get("absent", []):  # type: ignore[attr-defined]
        assert found.get(code) is False, f"{code} not read as denied: {found}"
    for code in case.get("not_present", []):  # type: ignore[attr-defined]
        assert found.get(code) is not True, f"{code} wrongly read as present: {found}"


def test_every_case_code_exists(kb: KnowledgeBase) -> None:
    for case in CASES:
        for key in ("present", "absent", "not_present"):
            for code in case.get(key, []):
                assert code in kb.findings, code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I have numbess in my left leg", "numbness_tingling_leg"),
        ("I'm really short of breth", "shortness_of_breath"),
    ],
)
def test_typos_are_corrected(text: str, code: str, kb: KnowledgeBase) -> None:
    assert extract(text, kb).findings.get(code) is True


def test_a_real_word_is_never_corrected_into_a_symptom(kb: KnowledgeBase) -> None:
    # "flower" is one letter from "lower": it must stay a flower.
    assert "pain_lower_back" not in extract("I was planting a flower bed", kb).findings


@pytest.mark.parametrize(
    "text",
    [
        "I don't think I have a fever.",
        "Maybe I have a fever, I'm not sure.",
        "What symptoms would mean I have a fever?",
        "Can a fever cause back pain?",
    ],
)
def test_uncertain_or_hypothetical_mentions_stay_unknown(text: str, kb: KnowledgeBase) -> None:
    assert "fever" not in extract(text, kb).findings


def test_a_number_with_a_decimal_point_is_one_sentence(kb: KnowledgeBase) -> None:
    assert extract("My temperature was 38.5 this morning.", kb).findings.get("fever") is True


def test_a_cue_does_not_reach_into_the_next_sentence(kb: KnowledgeBase) -> None:
    found = extract("No pain down my legs. I feel well otherwise.", kb).findings
    assert found.get("fever") is False  # "feel well" still settles the general symptoms
    assert found.get("pain_radiates_leg_below_knee") is False


def test_both_affirmed_and_denied_counts_as_present(kb: KnowledgeBase) -> None:
    """Missing a warning sign costs more than asking about it."""
    found = extract("No numbness at first. Now my bum has gone numb.", kb).findings
    assert found.get("saddle_numbness") is True


def test_age_sex_severity_and_duration(kb: KnowledgeBase) -> None:
    found = extract("I'm a 52-year-old man, the pain is 7 out of 10 and started 3 days ago.", kb)
    assert found.findings["age"] == 52
    assert found.findings["sex"] == "male"
    assert found.findings["severity"] == 7
    assert found.findings["duration_days"] == 3


def test_a_score_given_as_at_its_worst(kb: KnowledgeBase) -> None:
    assert extract("It cramps up, about 6 at its worst.", kb).findings["severity"] == 6


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("62, lower back spasm since Monday after gardening", 62, None),
        ("Female, 34, mid back spasm for two days", 34, "female"),
        ("34, male, lower back spasm", 34, "male"),
        ("I'm a man of 45 and my back locked up", 45, "male"),
        ("I am 28, pregnant, with mid back spasms", 28, "female"),
        ("3, maybe 4 days of mid back pain", None, None),
        ("I'm an office worker with a stiff back", None, None),
        ("I'm 40 and my wife is pregnant, my back hurts", 40, None),
        ("I'm 52, male, and my mid back is in spasm", 52, "male"),
        # forum shorthand
        ("35M, had a disc bulge diagnosed last year.", 35, "male"),
        ("44 f here, my back has gone again.", 44, "female"),
        ("hi im 26 F. my back is sore.", 26, "female"),
        ("Sharp pain in my back when I breathe in. 63, female.", 63, "female"),
        ("I fell 3m off a ladder.", None, None),
    ],
)
def test_age_and_sex_in_short_openings(
    text: str, age: float | None, sex: str | None, kb: KnowledgeBase
) -> None:
    found = extract(text, kb).findings
    assert found.get("age") == age
    assert found.get("sex") == sex


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("My son is 9 and his back pain wakes him up at night", 9, "male"),
        ("My daughter, 14, has had mid back spasms for 3 days", 14, "female"),
        ("I'm 38. My 9-year-old son has back pain at night", 9, "male"),
        ("My dad (82) has pain in his middle back", 82, "male"),
        ("Mum has a bad back. She's 78 and fell on Monday", 78, None),
        ("My partner is 45 and her lower back went into spasm", 45, None),
        ("My grandma is in her late eighties and her back hurts", 85, "female"),
        ("I'm 34 and my friend's back is in spasm", None, None),
        ("My son has had back pain for 3 weeks", None, "male"),
    ],
)
def test_a_story_told_for_someone_else_gives_their_age_and_sex(
    text: str, age: float | None, sex: str | None, kb: KnowledgeBase
) -> None:
    found = extract(text, kb, about_someone_else=True).findings
    assert found.get("age") == age
    assert found.get("sex") == sex


@pytest.mark.parametrize(
    ("text", "age", "sex", "place"),
    [
        ("My dad (61) twisted lifting compost and his lower back went into spasm", 61, "male",
         "pain_lower_back"),
        ("My daughter is 12 and the top of her back hurts after school", 12, "female",
         "pain_upper_back"),
        ("Asking for my partner, 59. He's had pain in the middle of his back for weeks", 59, None,
         "pain_mid_back"),
        ("I'm 40 and my back hurts; my son says his does too", 40, None, None),
    ],
)  # fmt: skip
def test_a_story_plainly_about_someone_else_is_read_as_theirs_without_being_told(
    text: str, age: float, sex: str | None, place: str | None, kb: KnowledgeBase
) -> None:
    found = extract(text, kb).findings
    assert (found.get("age"), found.get("sex")) == (age, sex)
    assert place is None or found.get(place) is True


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Two days on, the muscle is still in spasm.", 2),
        ("It's been two weeks now and it still hurts.", 14),
        ("I've had it a week.", 7),
        ("It started three days back when I moved house.", 3),
        ("For the last few days my mid back has been tight.", 3),
        ("Over the past couple of days it has got worse.", 2),
        ("Since lunchtime I've had a constant pain in my mid back.", 0.15),
        ("Three weeks on antibiotics and my back is no better.", None),
        ("I get a spasm every few days.", None),
        ("It aches after standing a while, and it's been like that for a few months.", 90),
        ("It's been sore for a while.", 14),
        ("Had a disc bulge found last year. This week the pain is back.", 3),
    ],
)
def test_how_long_it_has_lasted_in_everyday_words(
    text: str, days: float | None, kb: KnowledgeBase
) -> None:
    assert extract(text, kb).findings.get("duration_days") == days


def test_since_the_weekend_counts_back_to_saturday(kb: KnowledgeBase) -> None:
    monday = date(2026, 11, 23)
    found = extract("My lower back has been in spasm since the weekend.", kb, today=monday)
    assert found.findings["duration_days"] == 2


@pytest.mark.parametrize(
    ("text", "tightenings"),
    [
        ("I'm 36 weeks pregnant and my back pain comes and goes in waves.", True),
        ("I'm pregnant and the pain in my back comes every 10 minutes.", True),
        ("I'm a man and my back pain comes and goes in waves.", None),
    ],
)
def test_pain_in_waves_in_pregnancy_counts_as_tightenings(
    text: str, tightenings: bool | None, kb: KnowledgeBase
) -> None:
    """Labour can start as backache that comes and goes; outside pregnancy the same words
    are only colicky pain."""
    assert extract(text, kb).findings.get("pregnancy_tightenings") is tightenings


@pytest.mark.parametrize(
    ("text", "pregnant"),
    [
        ("Am I in labour? My lower back aches.", True),
        ("I think I'm going into labor, my back is killing me.", True),
        ("Is this labour or a back spasm? I'm 39 weeks.", True),
        ("Could my back pain be labour starting?", True),
        ("Could these cramps be the start of labour?", True),
        # Not pregnant, and nothing settled either way:
        ("I've had no signs of labour, just a back spasm.", None),
        ("I do manual labour and my back went into spasm.", None),
        ("This back spasm is worse than labour.", None),
        ("Could my back pain be from manual labour?", None),
    ],
)
def test_asking_about_labour_means_pregnant(
    text: str, pregnant: bool | None, kb: KnowledgeBase
) -> None:
    """Only someone pregnant asks whether labour is starting; a denial of labour says
    nothing about pregnancy, and labour meaning work or a memory is no pregnancy."""
    assert extract(text, kb).findings.get("pregnant") is pregnant


@pytest.mark.parametrize(
    ("text", "code", "value"),
    [
        # Not diagnosed: a denial, like "I've never been told".
        ("Nobody has told me I have thin bones.", "history_osteoporosis", False),
        ("Nobody believes how much my back hurts.", "pain_lower_back", None),
        # Weak legs are leg weakness, not tiredness.
        ("Both legs feel weak and my knees have buckled.", "fatigue", None),
        ("Both legs feel weak and my knees have buckled.", "leg_weakness", True),
        ("I feel weak and tired all the time.", "fatigue", True),
        # Low in the middle of the back is the lower back.
        ("A sudden pain low in the middle of my back.", "pain_lower_back", True),
        ("A sudden pain low in the middle of my back.", "pain_mid_back", None),
        ("A pain in the middle of my back between the shoulder blades.", "pain_mid_back", True),
        ("The pain comes with tingling on top of the foot.", "numbness_tingling_leg", True),
        ("I've had fevers and soaking sweats.", "night_sweats", True),
        ("I get drenching sweats.", "night_sweats", True),
        ("My legs still work and my waterworks are normal.", "leg_weakness", False),
        (
            "I can only manage about twenty yards before I must sit.",
            "leg_pain_walking_eases_sitting",
            True,
        ),
        # Typed without the apostrophe, a denial cue swallowed the warning sign itself.
        ("when i wipe i cant feel the paper, numb down there", "saddle_numbness", True),
        ("im 40 and i dont have a fever", "fever", False),
        # Spasms that "won't stop" keep coming back; that is not pain that never eases.
        ("bak spazms wont stop", "constant_unrelenting", None),
        ("the pain in my back won't stop, day or night", "constant_unrelenting", True),
        # "One side of my back" is where a muscle hurts; the kidney is "the left side".
        ("I get spasms on one side of my back.", "pain_flank", None),
        ("The pain is on the left side of my back.", "pain_flank", True),
        ("My car rolled down a 15 foot bank on the motorway.", "trauma_major", True),
        ("The van flipped over on the bend.", "trauma_major", True),
        ("There's a spot right on my spine that's agony to touch.", "spine_point_tenderness", True),
        ("Legs not weak.", "leg_weakness", False),
        ("I can wee ok.", "bladder_dysfunction", False),
        ("His back hurts low down.", "pain_lower_back", True),
        ("He woke up crying with it last night.", "night_pain", True),
        ("He won't bend to pick his toys up.", "trigger_lifting", False),
        ("My back and thigh muscles suddenly pull tight.", "muscle_cramps_elsewhere", True),
        ("You can see them jerking.", "visible_twitching", True),
    ],
)
def test_everyday_wordings(text: str, code: str, value: bool | None, kb: KnowledgeBase) -> None:
    assert extract(text, kb).findings.get(code) is value


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("I had breast cancer eight years ago. For about four weeks I've had an ache.", 28.0),
        ("Two weeks ago I flew back from Australia. Since yesterday there's a sharp pain.", 1.0),
        ("I've had sciatica for ten days. This morning I noticed numbness.", 10.0),
        # How long a medicine has been taken is not how long it has hurt.
        ("I've been on steroid tablets for over a year. Yesterday my back went.", 1.0),
        ("I'm on blood thinners for 5 years and my back has hurt for two days.", 2.0),
        ("I've been taking ibuprofen for three days for my back.", 3.0),
        # No time said about a symptom: the first time given is all there is.
        ("I had an operation three weeks ago and now my back is bad.", 21.0),
    ],
)
def test_how_long_it_hurts_is_the_time_said_about_a_symptom(
    text: str, days: float, kb: KnowledgeBase
) -> None:
    assert extract(text, kb).findings.get("duration_days") == days


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'm not really feeling when I need to pee.", True),
        ("The stream's weak.", True),
        ("I had a little accident and couldn't get to the loo in time.", True),
        ("I had a little accident with the car last week.", None),
    ],
)
def test_bladder_problems_in_everyday_words(
    text: str, value: bool | None, kb: KnowledgeBase
) -> None:
    """Cauda equina told without its textbook words must still be heard."""
    assert extract(text, kb).findings.get("bladder_dysfunction") is value


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("A sharp pain on the right side of my back.", "right"),
        ("It hurts in my left loin.", "left"),
        # "right" as an intensifier names no side
        ("There's a spot right on my spine that hurts.", "central"),
        ("The pain is right between my shoulder blades.", None),
    ],
)
def test_which_side_it_hurts(text: str, side: str | None, kb: KnowledgeBase) -> None:
    assert extract(text, kb).findings.get("pain_one_side") == side
