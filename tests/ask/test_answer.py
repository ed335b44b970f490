"""Ask picks the article written for the person asking: children's, pregnancy and older-age
articles answer questions about those people, and only those."""

from __future__ import annotations

import pytest

from spasmcare.ask.answer import ask
from spasmcare.ask.index import section_index
from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.base import KnowledgeBase

CHILDREN = "back-pain-in-children-and-teenagers"
PREGNANCY = "back-spasms-in-pregnancy"
OLDER = "back-spasms-in-older-age"


def _article(question: str, kb: KnowledgeBase) -> str:
    answer = ask(question, kb)
    assert answer.found and answer.citations, question
    return answer.citations[0].id.split("#")[0]


def _articles_cited(question: str, kb: KnowledgeBase) -> set[str]:
    return {citation.id.split("#")[0] for citation in ask(question, kb).citations}


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("my 12 year old son has back pain after football, should he see a doctor", CHILDREN),
        ("is back pain common in teenagers", CHILDREN),
        ("I'm 20 weeks pregnant, can I take ibuprofen for my back spasm?", PREGNANCY),
        ("my grandmother is 84 and has a back spasm, can she use a heat pad", OLDER),
    ],
)
def test_a_question_about_one_group_is_answered_from_its_article(
    question: str, article: str, kb: KnowledgeBase
) -> None:
    assert _article(question, kb) == article


def test_an_adult_is_not_answered_from_the_childrens_article(kb: KnowledgeBase) -> None:
    cited = _articles_cited("when should I see a doctor for mid back pain", kb)
    assert cited and CHILDREN not in cited


def test_a_stated_age_rules_the_older_age_article_out(kb: KnowledgeBase) -> None:
    """'12 year old' shares the word 'old' with older age; the age itself decides."""
    assert OLDER not in _articles_cited("my 12 year old has a sore back, can he use a heat pad", kb)


@pytest.mark.parametrize(
    ("question", "level", "anchor"),
    [
        (
            "I feel hopeless and I want to end my life because of this pain",
            "emergency",
            "if-pain-makes-you-think-about-ending-your-life",
        ),
        (
            "I took 12 paracetamol tablets today for my back, is that ok?",
            "emergency",
            "if-you-have-taken-too-much-of-a-medicine",
        ),
        (
            "I took 8 paracetamol an hour ago for my back",
            "emergency",
            "if-you-have-taken-too-much-of-a-medicine",
        ),
        (
            "I've been taking 12 a day for three days, my back still hurts",
            "emergency",
            "if-you-have-taken-too-much-of-a-medicine",
        ),
        ("Can I take diazepam my friend gave me?", None, "medicines-prescribed-for-someone-else"),
        (
            "I'm on apixaban, can I take ibuprofen for back pain?",
            None,
            "blood-thinners-and-other-medicines",
        ),
        (
            "I take warfarin. What painkiller can I use for my back?",
            None,
            "blood-thinners-and-other-medicines",
        ),
    ],
)
def test_a_danger_in_the_question_leads_the_answer(
    question: str, level: str | None, anchor: str, kb: KnowledgeBase
) -> None:
    answer = ask(question, kb)
    assert answer.citations[0].id.endswith(f"#{anchor}")
    assert (answer.triage.value if answer.triage else None) == level
    if level == "emergency":
        assert answer.answer.startswith("Emergency")


def test_a_fall_told_of_someone_with_thin_bones_is_urgent(kb: KnowledgeBase) -> None:
    answer = ask(
        "My grandmother has osteoporosis and she slipped on the stairs yesterday, now her "
        "back really hurts in the middle. What should we do?",
        kb,
    )
    assert answer.triage is TriageLevel.URGENT
    assert "cracked vertebra" in answer.answer


def test_age_alone_raises_no_alarm(kb: KnowledgeBase) -> None:
    answer = ask(
        "What's the safest painkiller for my 82 year old mum's back spasms? She's already on "
        "loads of tablets for her heart and blood pressure.",
        kb,
    )
    assert answer.triage is None


def test_a_safety_message_is_not_followed_by_unrelated_advice(kb: KnowledgeBase) -> None:
    answer = ask("I feel hopeless and I want to end my life because of this pain", kb)
    assert [c.id.split("#")[0] for c in answer.citations] == ["getting-help-now-mood-and-medicines"]
    assert "116 123" in answer.answer and "lift" not in answer.answer.lower()


@pytest.mark.parametrize(
    "question",
    [
        "my friend says heat is better than ice, is that right?",
        "what painkillers can I take for a back spasm",
        "I took 2 paracetamol this morning, when can I take more?",
        "I took 4 paracetamol today, 2 in the morning and 2 at lunch",
        "can I take 2 paracetamol 4 times a day?",
        "my life is busy, how can I fit in stretches?",
    ],
)
def test_ordinary_questions_pass_the_safety_screens(question: str, kb: KnowledgeBase) -> None:
    answer = ask(question, kb)
    assert answer.triage is None
    assert not [c for c in answer.citations if c.id.startswith("getting-help-now")]


@pytest.mark.parametrize(
    "question",
    ["how do I fix my car", "how to learn python", "how do I lose weight fast", "tell me a joke"],
)
def test_a_question_nothing_answers_gets_no_guess(question: str, kb: KnowledgeBase) -> None:
    answer = ask(question, kb)
    assert not answer.found and not answer.citations


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("is ibuprofen ok for back pain", "over-the-counter-painkillers"),
        ("should I rest", "bed-rest-and-staying-active"),
        ("is paracetamol any good", "over-the-counter-painkillers"),
    ],
)
def test_a_short_question_naming_a_topic_is_answered(
    question: str, article: str, kb: KnowledgeBase
) -> None:
    assert _article(question, kb) == article


def test_a_warning_sign_with_its_own_place_to_go_leads_the_answer(kb: KnowledgeBase) -> None:
    answer = ask("I'm 32 weeks pregnant, my back hurts and I've had some bleeding", kb)
    assert answer.triage is not None and answer.triage.value == "urgent"
    assert answer.answer.startswith("See a doctor today: Phone your maternity unit")


def test_the_advice_does_not_repeat_its_own_label(kb: KnowledgeBase) -> None:
    answer = ask("I have back pain and a fever, what should I do", kb)
    assert answer.triage is not None and answer.triage.value == "urgent"
    assert "See a doctor today: See a doctor today" not in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "What symptoms would mean my back spasm needs looking at by a doctor?",
        "I keep getting lower back spasms, what should I do?",
    ],
)
def test_general_questions_name_the_bladder_and_bowel_warning_signs(
    question: str, kb: KnowledgeBase
) -> None:
    """Answers show only the opening sentence of most sections, so a section that says when
    to call the emergency number must say it first (the nerves at the base of the spine)."""
    answer = ask(question, kb).answer.lower()
    assert "emergency number" in answer
    assert "bladder" in answer and "bowel" in answer


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("When should I go to A&E with back pain?", "emergency-warning-signs"),
        ("Should I go to the ER for a back spasm?", "emergency-warning-signs"),
        ("My back spasm is so bad I can’t move, what do I do?", "first-aid-for-a-back-spasm"),
        ("my back has locked up", "first-aid-for-a-back-spasm"),
        # "spasm" is in nearly every article: read as "cramp" too, it pulled these
        # questions to the cramp and hydration articles, whose titles say "cramp".
        ("Can I drive with a back spasm?", "bed-rest-and-staying-active"),
        ("Is walking good for a back spasm?", "stretches-for-lower-back"),
        ("What's the difference between a spasm and a strain?", "muscle-strain"),
    ],
)
def test_everyday_words_and_phrases_find_their_article(
    question: str, article: str, kb: KnowledgeBase
) -> None:
    """The word splitter breaks "A&E" into letters and "can't move" into common words, so
    both are looked up as phrases (synonyms.yaml)."""
    assert _article(question, kb) == article


def test_back_pain_in_waves_late_in_pregnancy_leads_to_the_maternity_unit(
    kb: KnowledgeBase,
) -> None:
    answer = ask("I'm 36 weeks pregnant and my back pain comes and goes in waves", kb)
    assert answer.answer.startswith("See a doctor today: Phone your maternity unit")


LABOUR = f"{PREGNANCY}#back-pain-and-labour"


@pytest.mark.parametrize(
    "question",
    [
        "I'm 38 weeks pregnant and have a back spasm, is it labour?",
        "could my back pain be labour starting?",
        "is backache a sign of labour",
        "is back pain a sign of labor",
        # "labour" names pregnancy too, but it heads one section: it still picks the section
        "I'm 39 weeks pregnant, how do I know if this back pain is labour or just a spasm?",
    ],
)
def test_a_question_about_labour_leads_with_the_signs_of_labour(
    question: str, kb: KnowledgeBase
) -> None:
    """The painkiller section says "pregnancy" and "pregnant" most often, so it won every
    question that named pregnancy; within the pregnancy article those words say nothing,
    and "labour" says what is asked (and, alone, that the person is pregnant)."""
    answer = ask(question, kb)
    assert answer.citations[0].id == LABOUR
    opening = answer.answer.split(". ")[0]
    assert "labour" in opening and "maternity unit" in opening


def test_asking_whether_labour_has_started_with_tightenings_leads_to_the_maternity_unit(
    kb: KnowledgeBase,
) -> None:
    """Asking "am I in labour?" says the person is pregnant, and with tightenings the story
    itself needs the maternity unit: that alert comes first, then the signs of labour."""
    answer = ask("am I in labour? my back keeps tightening", kb)
    assert answer.triage is TriageLevel.URGENT
    assert answer.answer.startswith("See a doctor today: Phone your maternity unit")
    assert answer.citations[0].id == LABOUR


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("back pain in pregnancy", "why-back-pain-is-common-in-pregnancy"),
        (
            "what exercise is safe for back pain in pregnancy",
            "self-care-for-back-pain-in-pregnancy",
        ),
        (
            "I'm 32 weeks pregnant, my back hurts and I've had some bleeding",
            "when-to-get-help-quickly-in-pregnancy",
        ),
        ("when should I call my midwife about back pain", "when-to-get-help-quickly-in-pregnancy"),
    ],
)
def test_the_words_naming_pregnancy_do_not_choose_the_section(
    question: str, section: str, kb: KnowledgeBase
) -> None:
    """Every section of the pregnancy article says "pregnancy"; the one that says it (and
    "pregnant") most is about painkillers, and must not answer for that alone."""
    assert ask(question, kb).citations[0].id == f"{PREGNANCY}#{section}"


@pytest.mark.parametrize(
    "question",
    [
        "what painkiller can I take for back spasm when pregnant?",
        "I'm 20 weeks pregnant, can I take ibuprofen for my back spasm?",
    ],
)
def test_a_painkiller_question_in_pregnancy_leads_with_the_painkillers(
    question: str, kb: KnowledgeBase
) -> None:
    answer = ask(question, kb)
    assert answer.citations[0].id == f"{PREGNANCY}#painkillers-in-pregnancy"
    assert answer.answer.startswith("Paracetamol")


@pytest.mark.parametrize(
    "question",
    [
        "I do manual labour and my back keeps going into spasm",
        "does physical labour cause back spasms",
        "I'm a labourer, how can I stop my back spasms coming back?",
    ],
)
def test_labour_meaning_work_is_not_read_as_childbirth(question: str, kb: KnowledgeBase) -> None:
    assert PREGNANCY not in _articles_cited(question, kb)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        (
            "Is lumbago the same as a back spasm?",
            "lower-back-spasms#why-the-lower-back-spasms-so-often",
        ),
        (
            "I'm on diazepam for my back, can I have a couple of beers?",
            "muscle-relaxants#side-effects-of-muscle-relaxants",
        ),
        (
            "how long can I keep taking naproxen for my back?",
            "over-the-counter-painkillers#using-ibuprofen-and-naproxen-safely",
        ),
        (
            "my back spasms wont stop what do i do",
            "first-aid-for-a-back-spasm#the-first-few-minutes",
        ),
        (
            "how do I get out of bed with a back spasm",
            "sleep-positions-mattress-and-pillows#getting-in-and-out-of-bed-with-a-back-spasm",
        ),
        (
            "I stand all day at work, any tips for my back?",
            "back-care-at-work#if-your-work-keeps-you-on-your-feet",
        ),
        (
            "I'm a nurse and keep hurting my back moving patients",
            "back-care-at-work#caring-for-people-and-helping-them-move",
        ),
    ],
)
def test_everyday_questions_find_their_section(
    question: str, section: str, kb: KnowledgeBase
) -> None:
    """Everyday names ("lumbago", "beers"), a spasm going on now ("won't stop") and work
    (standing all day, moving people) each have the section that answers them."""
    assert ask(question, kb).citations[0].id == section


def test_a_word_inside_a_phrase_is_read_with_the_phrase(kb: KnowledgeBase) -> None:
    """'get out of bed' is about getting up: its 'bed' must not add bed rest as well."""
    expanded = section_index(kb).expand("it hurts most when I get out of bed")
    assert "getting" in expanded.split()
    assert "rest" not in expanded.split()
    assert "rest" in section_index(kb).expand("should I stay in bed").split()
