"""When the diary says to get care: each alert, its level, and what does not trigger one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from spasmcare.diary.escalation import LastAssessment, alerts
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.base import KnowledgeBase
from tests.diary.factories import checkin, episode

TODAY = date(2026, 11, 21)


def _days_back(n: int) -> list[date]:
    return [TODAY - timedelta(days=i) for i in range(n)]


def test_a_quiet_diary_raises_nothing(kb: KnowledgeBase) -> None:
    checkins = [checkin(day, 3) for day in _days_back(40)]
    episodes = [episode(TODAY - timedelta(days=10))]
    assert alerts(episodes, checkins, None, diary_vocabulary(kb), kb, TODAY) == ()


def test_a_ticked_warning_sign_is_judged_by_the_engine(kb: KnowledgeBase) -> None:
    checkins = [checkin(TODAY, 4, warning_signs=("saddle_numbness",))]
    found = alerts([], checkins, None, diary_vocabulary(kb), kb, TODAY)
    assert [a.kind for a in found] == ["warning_sign"]
    assert found[0].level is TriageLevel.EMERGENCY
    assert found[0].reasons  # the rule's reason, in plain words
    assert found[0].sources


def test_a_warning_sign_in_a_note_is_found_but_a_denial_is_not(kb: KnowledgeBase) -> None:
    said = [checkin(TODAY, 4, note="Since this morning I can't feel the paper when I wipe.")]
    denied = [checkin(TODAY, 4, note="No numbness anywhere and no trouble peeing.")]
    words = diary_vocabulary(kb)
    assert alerts([], said, None, words, kb, TODAY)[0].level is TriageLevel.EMERGENCY
    assert alerts([], denied, None, words, kb, TODAY) == ()
    in_an_episode = [episode(TODAY, 7, notes="I've had a fever and chills all day")]
    assert alerts(in_an_episode, [], None, words, kb, TODAY)[0].kind == "warning_sign"


def test_an_old_warning_sign_no_longer_alerts(kb: KnowledgeBase) -> None:
    words = diary_vocabulary(kb)
    window = words.reading.warning_sign.window_days
    old = [checkin(TODAY - timedelta(days=window), 4, warning_signs=("fever",))]
    assert alerts([], old, None, words, kb, TODAY) == ()


def test_a_warning_sign_is_never_below_routine(kb: KnowledgeBase) -> None:
    """night_pain alone may not be urgent, but logging a warning sign is never ignored."""
    found = alerts(
        [],
        [checkin(TODAY, 3, warning_signs=("night_pain",))],
        None,
        diary_vocabulary(kb),
        kb,
        TODAY,
    )
    assert found[0].level.urgency >= TriageLevel.ROUTINE.urgency


def test_the_persons_age_from_the_last_assessment_counts(kb: KnowledgeBase) -> None:
    """Unexplained weight loss matters more after 50: the alert uses the saved age."""
    words = diary_vocabulary(kb)
    logged = [checkin(TODAY, 3, warning_signs=("unexplained_weight_loss",))]
    young = LastAssessment(
        TODAY - timedelta(days=3), TriageLevel.SELF_CARE, "muscle_strain", {"age": 25.0}
    )
    old = LastAssessment(
        TODAY - timedelta(days=3),
        TriageLevel.SELF_CARE,
        "muscle_strain",
        {"age": 70.0, "history_cancer": True},
    )
    assert (
        alerts([], logged, old, words, kb, TODAY)[0].level.urgency
        >= alerts([], logged, young, words, kb, TODAY)[0].level.urgency
    )


def test_pain_getting_worse(kb: KnowledgeBase) -> None:
    words = diary_vocabulary(kb)
    rule = words.reading.worsening
    window = rule.window_days
    before = [checkin(TODAY - timedelta(days=window + i), 2) for i in range(window)]
    rising = [checkin(TODAY - timedelta(days=i), 5) for i in range(window)]
    found = alerts([], before + rising, None, words, kb, TODAY)
    assert [a.kind for a in found] == ["worsening"]
    assert "5.0/10" in found[0].message and "2.0/10" in found[0].message
    slight = [checkin(TODAY - timedelta(days=i), 3) for i in range(window)]
    assert alerts([], before + slight, None, words, kb, TODAY) == ()
    # Too few check-ins to tell: no alert rather than a guess.
    sparse = [checkin(TODAY - timedelta(days=i), 9) for i in range(rule.min_checkins - 1)]
    assert alerts([], before + sparse, None, words, kb, TODAY) == ()


def test_spasms_coming_more_often(kb: KnowledgeBase) -> None:
    words = diary_vocabulary(kb)
    rule = words.reading.more_frequent
    recent = [
        episode(TODAY - timedelta(days=i * 3), ident=f"r{i}") for i in range(rule.min_episodes + 2)
    ]
    earlier = [episode(TODAY - timedelta(days=2 * rule.window_days - 1), ident="old")]
    found = alerts(recent + earlier, [], None, words, kb, TODAY)
    assert [a.kind for a in found] == ["more_frequent"]
    # A diary begun within the last window has no "before": a new account is not told
    # its spasms come more often than in weeks it never logged.
    assert alerts(recent, [], None, words, kb, TODAY) == ()
    started_later = [episode(TODAY - timedelta(days=rule.window_days + 5), ident="old")]
    assert alerts(recent + started_later, [], None, words, kb, TODAY) == ()
    steady = [
        episode(TODAY - timedelta(days=rule.window_days + 1 + i), ident=f"s{i}") for i in range(6)
    ]
    assert alerts(recent + steady, [], None, words, kb, TODAY) == ()


@pytest.mark.parametrize(("days_since", "expected"), [(10, False), (40, True)])
def test_not_better_after_the_self_care_window(
    kb: KnowledgeBase, days_since: int, expected: bool
) -> None:
    words = diary_vocabulary(kb)
    window = kb.conditions["muscle_strain"].self_care_window_days
    assert window is not None
    last = LastAssessment(
        TODAY - timedelta(days=days_since),
        TriageLevel.SELF_CARE,
        "muscle_strain",
        {"duration_days": 2.0},
    )
    pain = [checkin(TODAY - timedelta(days=i), 5) for i in range(7)]
    found = alerts([], pain, last, words, kb, TODAY)
    assert ("not_improving" in [a.kind for a in found]) is (days_since + 2 > window)
    assert expected is (days_since + 2 > window)


def test_after_an_urgent_assessment_not_improving_is_not_repeated(kb: KnowledgeBase) -> None:
    last = LastAssessment(TODAY - timedelta(days=60), TriageLevel.URGENT, "muscle_strain", {})
    pain = [checkin(TODAY - timedelta(days=i), 6) for i in range(7)]
    assert alerts([], pain, last, diary_vocabulary(kb), kb, TODAY) == ()
