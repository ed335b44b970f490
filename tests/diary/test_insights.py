"""Diary insights: hand-computed cases, SciPy/statsmodels agreement, local-day edge cases."""

from __future__ import annotations

import itertools
import math
import random
import warnings
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spasmcare.diary.insights import (
    adherence,
    daily_pain,
    episode_triggers,
    factor_effects,
    mean_difference,
    mean_interval,
    streaks,
    summarise,
    t_cdf,
    t_quantile,
    trends,
    what_helps,
)
from spasmcare.diary.records import CheckIn, Episode, RemedyUse
from spasmcare.diary.vocabulary import DiaryVocabulary, Factor, diary_vocabulary
from spasmcare.knowledge.loader import default_knowledge

UTC = ZoneInfo("UTC")
LONG_SITTING = Factor(
    id="long_sitting",
    label="8 hours or more sitting",
    field="sitting_hours",
    op=">=",
    value=8,
    sources=["seed-mid-back-causes"],
)


# ---------------------------------------------------------------- builders


def at(day: date, clock: time, zone: str, fold: int = 0) -> datetime:
    """The UTC instant of a local wall-clock time in `zone`."""
    return datetime.combine(day, clock, ZoneInfo(zone)).replace(fold=fold).astimezone(UTC)


def checkin(
    day: date,
    pain: int | None = None,
    worst: int | None = None,
    *,
    zone: str = "Europe/London",
    recorded_at: datetime | None = None,
    sitting: float | None = None,
    sleep: float | None = None,
    quality: int | None = None,
    stress: int | None = None,
    water: float | None = None,
    exercise: int | None = None,
    exercises: tuple[str, ...] = (),
    ident: str | None = None,
) -> CheckIn:
    return CheckIn(
        id=ident or f"c-{day.isoformat()}-{zone}",
        local_date=day,
        timezone=zone,
        recorded_at=recorded_at or at(day, time(21, 0), zone),
        pain_average=pain,
        pain_worst=worst,
        sleep_hours=sleep,
        sleep_quality=quality,
        water_litres=water,
        sitting_hours=sitting,
        exercise_minutes=exercise,
        stress=stress,
        medicines=(),
        exercises_done=exercises,
        warning_signs=(),
        note=None,
    )


def episode(
    day: date,
    intensity: int = 5,
    *,
    triggers: tuple[str, ...] = (),
    remedies: tuple[RemedyUse, ...] = (),
    zone: str = "Europe/London",
    started_at: datetime | None = None,
    ident: str | None = None,
) -> Episode:
    return Episode(
        id=ident or f"e-{day.isoformat()}-{intensity}-{len(triggers)}",
        started_at=started_at or at(day, time(9, 0), zone),
        timezone=zone,
        local_date=day,
        duration_minutes=30,
        locations=("lower",),
        intensity=intensity,
        triggers=triggers,
        trigger_note=None,
        remedies=remedies,
        notes=None,
    )


def diary(
    days: int, episodes: int, seed: int = 7, end: date = date(2025, 6, 30)
) -> tuple[list[Episode], list[CheckIn]]:
    """A plausible random diary: a check-in most days, episodes scattered over the span."""
    rng = random.Random(seed)
    start = end - timedelta(days=days - 1)
    remedies = ["heat", "ice", "stretching", "walking", "ibuprofen", "massage", "rest"]
    triggers = ["trigger_lifting", "trigger_stress", "trigger_prolonged_posture"]
    checkins = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if rng.random() < 0.08:
            continue
        checkins.append(
            checkin(
                day,
                rng.randint(0, 8),
                rng.randint(2, 10),
                sitting=rng.choice([None, rng.uniform(1, 12)]),
                sleep=rng.uniform(4, 9),
                quality=rng.randint(0, 10),
                stress=rng.randint(0, 10),
                water=rng.uniform(0.5, 3),
                exercise=rng.randint(0, 60),
                exercises=tuple(e for e in ("cat_cow", "bridge") if rng.random() < 0.5),
                ident=f"c{offset}",
            )
        )
    spasms = [
        episode(
            start + timedelta(days=rng.randrange(days)),
            rng.randint(0, 10),
            triggers=tuple(rng.sample(triggers, rng.randint(0, 2))),
            remedies=tuple(
                RemedyUse(r, rng.choice([None, *range(11)]))
                for r in rng.sample(remedies, rng.randint(0, 3))
            ),
            ident=f"e{number}",
        )
        for number in range(episodes)
    ]
    return spasms, checkins


@pytest.fixture(scope="module")
def vocabulary() -> DiaryVocabulary:
    return diary_vocabulary(default_knowledge())


# ---------------------------------------------------------------- Student t


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        # Printed tables (two-sided 95% and 99%) and the exact forms for df 1 and 2.
        (0.975, 1, 12.706204736),
        (0.975, 2, 4.302652730),
        (0.975, 4, 2.776445105),
        (0.975, 10, 2.228138852),
        (0.975, 30, 2.042272456),
        (0.995, 5, 4.032142984),
        (0.025, 10, -2.228138852),
        (0.5, 7, 0.0),
        (0.975, math.inf, 1.959963985),
    ],
)
def test_t_quantile_matches_tables(p: float, df: float, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=1e-8)


@pytest.mark.parametrize("df", [1, 1.3, 2, 2.5, 3, 4.7, 9, 17.3, 42, 120, 999, 1000, 5e4, 1e7])
@pytest.mark.parametrize(
    "p", [1e-6, 0.001, 0.01, 0.025, 0.05, 0.2, 0.5, 0.51, 0.8, 0.95, 0.975, 0.99, 0.999]
)
def test_t_quantile_matches_scipy_grid(p: float, df: float) -> None:
    stats = pytest.importorskip("scipy.stats")
    expected = float(stats.t.ppf(p, df))
    assert t_quantile(p, df) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(
    p=st.floats(min_value=1e-7, max_value=1 - 1e-7),
    df=st.floats(min_value=1.0, max_value=1e6),
)
def test_t_quantile_matches_scipy_everywhere(p: float, df: float) -> None:
    stats = pytest.importorskip("scipy.stats")
    expected = float(stats.t.ppf(p, df))
    assert abs(t_quantile(p, df) - expected) <= 1e-6 * max(1.0, abs(expected))


@settings(max_examples=200, deadline=None)
@given(t=st.floats(min_value=-80, max_value=80), df=st.floats(min_value=0.5, max_value=2000))
def test_t_cdf_matches_scipy(t: float, df: float) -> None:
    stats = pytest.importorskip("scipy.stats")
    assert t_cdf(t, df) == pytest.approx(float(stats.t.cdf(t, df)), abs=1e-10)


@pytest.mark.parametrize(("p", "df"), [(0, 5), (1, 5), (-0.1, 5), (0.5, 0), (0.5, -1)])
def test_t_quantile_rejects_impossible_arguments(p: float, df: float) -> None:
    with pytest.raises(ValueError):
        t_quantile(p, df)


# ---------------------------------------------------------------- intervals by hand


def test_welch_interval_by_hand() -> None:
    # with 1,3,5: mean 3, variance 4; without 0,2,4: mean 2, variance 4.
    # se^2 = 4/3 + 4/3 = 8/3; df = (8/3)^2 / (2 * (4/3)^2 / 2) = 4; t(0.975, 4) = 2.776445
    # half width = 2.776445 * sqrt(8/3) = 4.533916
    result = mean_difference([1, 3, 5], [0, 2, 4])
    assert result is not None
    assert (result.mean_with, result.mean_without, result.difference) == (3, 2, 1)
    assert result.df == pytest.approx(4)
    assert result.ci_low == pytest.approx(1 - 4.533916, abs=1e-6)
    assert result.ci_high == pytest.approx(1 + 4.533916, abs=1e-6)


def test_welch_interval_needs_two_in_each_group_and_collapses_without_spread() -> None:
    assert mean_difference([1], [1, 2, 3]) is None
    assert mean_difference([], []) is None
    flat = mean_difference([5, 5], [3, 3, 3])
    assert flat is not None
    assert (flat.difference, flat.ci_low, flat.ci_high) == (2, 2, 2)
    assert flat.df == math.inf


def test_mean_interval_by_hand() -> None:
    # 2,4,6,8: mean 5, variance 20/3, se = sqrt(20/3/4) = 1.290994; t(0.975, 3) = 3.182446
    # half width = 4.108521
    low, high = mean_interval([2, 4, 6, 8]) or (math.nan, math.nan)
    assert low == pytest.approx(5 - 4.108521, abs=1e-6)
    assert high == pytest.approx(5 + 4.108521, abs=1e-6)
    assert mean_interval([7]) is None


@settings(max_examples=150, deadline=None)
@given(
    first=st.lists(st.integers(0, 10), min_size=2, max_size=60),
    second=st.lists(st.integers(0, 10), min_size=2, max_size=60),
)
def test_welch_interval_matches_scipy_and_statsmodels(first: list[int], second: list[int]) -> None:
    stats = pytest.importorskip("scipy.stats")
    weightstats = pytest.importorskip("statsmodels.stats.weightstats")
    assume(len(set(first)) > 1 or len(set(second)) > 1)  # some spread, else SciPy gives nan
    ours = mean_difference(first, second)
    assert ours is not None
    with warnings.catch_warnings():
        # SciPy warns about a group with no spread; its interval is still the reference.
        warnings.simplefilter("ignore", RuntimeWarning)
        scipy_interval = stats.ttest_ind(first, second, equal_var=False).confidence_interval()
    assert ours.ci_low == pytest.approx(scipy_interval.low, abs=1e-7)
    assert ours.ci_high == pytest.approx(scipy_interval.high, abs=1e-7)
    compared = weightstats.CompareMeans(
        weightstats.DescrStatsW(first), weightstats.DescrStatsW(second)
    )
    low, high = compared.tconfint_diff(alpha=0.05, usevar="unequal")
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), abs=1e-7)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(0, 10), min_size=2, max_size=80))
def test_mean_interval_matches_statsmodels(values: list[int]) -> None:
    weightstats = pytest.importorskip("statsmodels.stats.weightstats")
    assume(len(set(values)) > 1)
    ours = mean_interval(values)
    assert ours is not None
    assert ours == pytest.approx(weightstats.DescrStatsW(values).tconfint_mean(0.05), abs=1e-7)


# ---------------------------------------------------------------- factor effects


def test_factor_effect_by_hand() -> None:
    monday = date(2024, 5, 6)
    day = [monday + timedelta(days=n) for n in range(12)]
    # Sitting days 0, 2, 4 are "with" (>= 8); 1, 3, 5 are "without". Next-day pain:
    # with -> days 1, 3, 5 = 1, 3, 5; without -> days 2, 4, 6 = 0, 2, 4.
    checkins = [
        checkin(day[0], 7, sitting=9),
        checkin(day[1], 1, sitting=2),
        checkin(day[2], 0, sitting=10),
        checkin(day[3], 3, sitting=3),
        checkin(day[4], 2, sitting=8),
        checkin(day[5], 5, sitting=1),
        checkin(day[6], 4),  # no sitting recorded: not a predictor day
        checkin(day[8], sitting=12),  # next day (9) has no check-in: left out
        checkin(day[10], 6, sitting=11),
        checkin(day[11], None, sitting=1),  # next-day pain missing: day 10 is left out
    ]
    # Next-day episodes: with -> days 1, 3, 5 = 2, 0, 1 (mean 1, variance 1);
    # without -> days 2, 4, 6 = 0, 0, 0. se^2 = 1/3, df = 2, t(0.975, 2) = 4.302653,
    # half width = 4.302653 * sqrt(1/3) = 2.484138.
    episodes = [episode(day[1]), episode(day[1], 6), episode(day[5]), episode(day[9], 9)]
    (effect,) = factor_effects(episodes, checkins, [LONG_SITTING], min_days=3)
    assert (effect.n_with, effect.n_without, effect.enough) == (3, 3, True)
    assert (effect.with_mean, effect.without_mean, effect.difference) == (3, 2, 1)
    assert effect.ci_low == pytest.approx(1 - 4.533916, abs=1e-6)
    assert effect.ci_high == pytest.approx(1 + 4.533916, abs=1e-6)
    assert (effect.episode_rate_with, effect.episode_rate_without) == (1, 0)
    assert effect.episode_rate_difference == 1
    assert effect.episode_ci_low == pytest.approx(1 - 2.484138, abs=1e-6)
    assert effect.episode_ci_high == pytest.approx(1 + 2.484138, abs=1e-6)
    assert not effect.clear
    assert effect.message == (
        "On days after 8 hours or more sitting, there was no clear difference in pain "
        "(+1.0 points; 95% CI -3.5 to 5.5; 3 and 3 days)."
    )
    assert effect.episode_message == (
        "Spasm episodes the day after: no clear difference (1.00 vs 0.00 a day; "
        "95% CI -1.48 to 3.48)."
    )


def alternating_diary(with_pains: Sequence[int], without_pains: Sequence[int]) -> list[CheckIn]:
    """Days alternate with / without long sitting; each next day's pain is the outcome."""
    first = date(2024, 1, 1)
    outcomes = [p for pair in zip(with_pains, without_pains, strict=True) for p in pair]
    checkins = [checkin(first, 3, sitting=9)]
    for index, pain in enumerate(outcomes, start=1):
        sitting = None if index == len(outcomes) else (9 if index % 2 == 0 else 2)
        checkins.append(checkin(first + timedelta(days=index), pain, sitting=sitting))
    return checkins


def test_clear_difference_is_said_plainly() -> None:
    # with: 6,7 x5 (mean 6.5, variance 0.25*10/9); without: 2,3 x5 (mean 2.5, same variance)
    # se^2 = 2 * 0.277778 / 10 = 0.0555556; df = 18; t(0.975, 18) = 2.100922;
    # half width = 2.100922 * 0.235702 = 0.495192 -> 3.504808 to 4.495192
    checkins = alternating_diary([6, 7] * 5, [2, 3] * 5)
    (effect,) = factor_effects([], checkins, [LONG_SITTING], min_days=7)
    assert (effect.n_with, effect.n_without) == (10, 10)
    assert effect.difference == pytest.approx(4)
    assert effect.ci_low == pytest.approx(3.504808, abs=1e-6)
    assert effect.ci_high == pytest.approx(4.495192, abs=1e-6)
    assert effect.clear
    assert effect.message == (
        "On days after 8 hours or more sitting, pain was 4.0 points higher "
        "(95% CI 3.5 to 4.5; 10 and 10 days)."
    )
    # No episodes at all: both rates are 0 with no spread, so nothing to tell apart.
    assert (effect.episode_ci_low, effect.episode_ci_high) == (0, 0)
    assert effect.episode_message is not None
    assert "no clear difference" in effect.episode_message

    (lower,) = factor_effects([], alternating_diary([2, 3] * 5, [6, 7] * 5), [LONG_SITTING], 7)
    assert lower.message.startswith(
        "On days after 8 hours or more sitting, pain was 4.0 points lower "
    )


def test_not_enough_data_keeps_counts_and_says_so() -> None:
    checkins = alternating_diary([6, 7, 6, 7], [2, 3, 2, 3])
    (effect,) = factor_effects([], checkins, [LONG_SITTING], min_days=7)
    assert (effect.n_with, effect.n_without, effect.enough) == (4, 4, False)
    assert effect.message == (
        f"{LONG_SITTING.label}: not enough data yet (4 days with and 4 without; "
        "SpasmCare needs at least 7 of each)."
    )
    assert effect.episode_message is None
    assert not effect.clear
    assert effect.with_mean == 6.5  # what can be computed is kept


def test_factor_with_one_group_empty() -> None:
    first = date(2024, 2, 1)
    checkins = [checkin(first + timedelta(days=n), 4, sitting=10) for n in range(10)]
    (effect,) = factor_effects([], checkins, [LONG_SITTING], min_days=2)
    assert (effect.n_with, effect.n_without, effect.enough) == (9, 0, False)
    assert effect.with_mean == 4
    assert effect.without_mean is None
    assert effect.difference is effect.ci_low is effect.ci_high is None
    assert effect.message == (
        f"{LONG_SITTING.label}: not enough data yet (9 days with and 0 without; "
        "SpasmCare needs at least 2 of each)."
    )


def test_factor_effects_empty_inputs(vocabulary: DiaryVocabulary) -> None:
    effects = factor_effects([], [], vocabulary.factors, vocabulary.reading.min_days_per_group)
    assert [e.factor_id for e in effects] == [f.id for f in vocabulary.factors]
    for effect in effects:
        assert (effect.n_with, effect.n_without, effect.enough) == (0, 0, False)
        assert effect.with_mean is effect.difference is effect.episode_rate_with is None
        assert effect.message == (
            f"{effect.label}: not enough data yet (0 days with and 0 without; "
            "SpasmCare needs at least 7 of each)."
        )
    assert factor_effects([], [], [], 7) == ()


def test_factor_effects_match_scipy_on_a_generated_diary(vocabulary: DiaryVocabulary) -> None:
    stats = pytest.importorskip("scipy.stats")
    weightstats = pytest.importorskip("statsmodels.stats.weightstats")
    episodes, checkins = diary(400, 300, seed=11)
    by_date = {c.local_date: c for c in checkins}
    episodes_on: dict[date, int] = {}
    for spasm in episodes:
        episodes_on[spasm.local_date] = episodes_on.get(spasm.local_date, 0) + 1
    effects = factor_effects(episodes, checkins, vocabulary.factors, 7)
    for factor, effect in zip(vocabulary.factors, effects, strict=True):
        pain: dict[bool, list[float]] = {True: [], False: []}
        rate: dict[bool, list[float]] = {True: [], False: []}
        for day, record in by_date.items():  # the definition, written out the slow way
            value = getattr(record, factor.field)
            following = by_date.get(day + timedelta(days=1))
            if value is None or following is None or following.pain_average is None:
                continue
            pain[factor.holds(value)].append(following.pain_average)
            rate[factor.holds(value)].append(episodes_on.get(day + timedelta(days=1), 0))
        assert (effect.n_with, effect.n_without) == (len(pain[True]), len(pain[False]))
        assert effect.enough
        expected = stats.ttest_ind(pain[True], pain[False], equal_var=False)
        interval = expected.confidence_interval(0.95)
        assert (effect.ci_low, effect.ci_high) == pytest.approx(
            (interval.low, interval.high), abs=1e-7
        )
        compared = weightstats.CompareMeans(
            weightstats.DescrStatsW(rate[True]), weightstats.DescrStatsW(rate[False])
        )
        low, high = compared.tconfint_diff(usevar="unequal")
        assert (effect.episode_ci_low, effect.episode_ci_high) == pytest.approx(
            (low, high), abs=1e-7
        )


# ---------------------------------------------------------------- trends and daily pain


def test_weekly_trend_by_hand() -> None:
    checkins = [
        checkin(date(2024, 1, 2), 9, 10),  # before start: not counted
        checkin(date(2024, 1, 3), 2, 4),  # Wednesday of the week of Monday 1 Jan
        checkin(date(2024, 1, 7), 4, 7),  # its Sunday
        checkin(date(2024, 1, 15), None, 5),  # week of 15 Jan, worst pain only
    ]
    episodes = [episode(date(2024, 1, 4), 6), episode(date(2024, 1, 7), 8)]
    points = trends(episodes, checkins, "week", date(2024, 1, 3), date(2024, 1, 21))
    assert [p.period_start for p in points] == [
        date(2024, 1, 1),
        date(2024, 1, 8),
        date(2024, 1, 15),
    ]
    first, empty, last = points
    assert first.period_end == date(2024, 1, 7)
    assert (first.pain_average, first.pain_worst, first.checkins) == (3, 7, 2)
    assert (first.episodes, first.mean_intensity) == (2, 7)
    assert (empty.pain_average, empty.pain_worst, empty.episodes, empty.checkins) == (
        None,
        None,
        0,
        0,
    )
    assert empty.mean_intensity is None
    assert (last.pain_average, last.pain_worst, last.checkins) == (None, 5, 1)


def test_monthly_trend_defaults_to_the_diary_span_and_keeps_empty_months() -> None:
    points = trends([episode(date(2024, 3, 1), 4)], [checkin(date(2024, 1, 31), 5, 6)], "month")
    assert [(p.period_start, p.period_end) for p in points] == [
        (date(2024, 1, 1), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
        (date(2024, 3, 1), date(2024, 3, 31)),
    ]
    assert [p.episodes for p in points] == [0, 0, 1]
    assert [p.checkins for p in points] == [1, 0, 0]


def test_iso_weeks_run_across_the_new_year() -> None:
    checkins = [checkin(date(2024, 12, 31), 2), checkin(date(2025, 1, 1), 4)]
    (point,) = trends([], checkins, "week")
    assert point.period_start == date(2024, 12, 30)  # Monday of ISO week 2025-W01
    assert (point.checkins, point.pain_average) == (2, 3)


def test_trends_empty_and_invalid() -> None:
    assert trends([], [], "week") == ()
    assert trends([], [], "month", date(2024, 5, 1), date(2024, 4, 1)) == ()
    empty = trends([], [], "week", date(2024, 5, 1), date(2024, 5, 31))
    assert len(empty) == 5 and all(p.episodes == p.checkins == 0 for p in empty)
    with pytest.raises(ValueError, match="period"):
        trends([], [], "day", date(2024, 5, 1), date(2024, 5, 2))  # type: ignore[arg-type]


def test_daily_pain_has_every_day_with_gaps_as_none() -> None:
    days = daily_pain(
        [checkin(date(2024, 4, 1), 3, 5), checkin(date(2024, 4, 3), 6, None)],
        date(2024, 4, 1),
        date(2024, 4, 4),
    )
    assert [(d.local_date.day, d.pain_average, d.pain_worst) for d in days] == [
        (1, 3, 5),
        (2, None, None),
        (3, 6, None),
        (4, None, None),
    ]
    assert daily_pain([], date(2024, 4, 2), date(2024, 4, 1)) == ()


@settings(max_examples=50, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 120), max_size=40),
    spasm_offsets=st.lists(st.integers(0, 120), max_size=40),
    period=st.sampled_from(["week", "month"]),
)
def test_trends_account_for_every_record(
    offsets: list[int], spasm_offsets: list[int], period: str
) -> None:
    first = date(2024, 2, 20)
    checkins = [checkin(first + timedelta(days=o), o % 11) for o in offsets]
    episodes = [episode(first + timedelta(days=o), o % 11) for o in spasm_offsets]
    points = trends(episodes, checkins, period, first, first + timedelta(days=120))  # type: ignore[arg-type]
    assert sum(p.episodes for p in points) == len(episodes)
    assert sum(p.checkins for p in points) == len(set(offsets))
    assert all(
        a.period_end + timedelta(days=1) == b.period_start for a, b in itertools.pairwise(points)
    )


# ---------------------------------------------------------------- triggers and remedies


def test_episode_triggers_by_hand(vocabulary: DiaryVocabulary) -> None:
    lift, stress = "trigger_lifting", "trigger_stress"
    episodes = [
        episode(date(2024, 6, 1), 2, triggers=(lift,)),
        episode(date(2024, 6, 2), 8, triggers=(lift, stress)),
        episode(date(2024, 6, 3), 3, triggers=(stress,)),
        episode(date(2024, 6, 4), 9),
        episode(date(2024, 6, 5), 5, triggers=(lift, lift)),  # named twice, counted once
    ]
    first, second = episode_triggers(episodes, vocabulary.trigger_label)
    assert (first.trigger, first.label, first.count, first.share) == (lift, "Lifting", 3, 0.6)
    assert first.mean_intensity_with == 5  # (2 + 8 + 5) / 3
    assert first.mean_intensity_without == 6  # (3 + 9) / 2
    assert (second.trigger, second.count, second.share) == (stress, 2, 0.4)
    assert second.mean_intensity_with == 5.5
    assert second.mean_intensity_without == pytest.approx(16 / 3)
    assert episode_triggers([]) == ()
    (only,) = episode_triggers([episode(date(2024, 6, 1), 4, triggers=(lift,))])
    assert (only.label, only.mean_intensity_without) == (lift, None)


def test_what_helps_by_hand(vocabulary: DiaryVocabulary) -> None:
    def used(*pairs: tuple[str, int | None]) -> tuple[RemedyUse, ...]:
        return tuple(RemedyUse(r, relief) for r, relief in pairs)

    episodes = [
        episode(date(2024, 7, 1), remedies=used(("heat", 6), ("rest", 2), ("walking", None))),
        episode(date(2024, 7, 2), remedies=used(("heat", 8), ("rest", 4), ("ice", 9))),
        episode(date(2024, 7, 3), remedies=used(("heat", 7), ("rest", 3), ("walking", None))),
        episode(date(2024, 7, 4), remedies=used(("rest", 3), ("heat", None))),
    ]
    helps = what_helps(episodes, min_uses=3, label_of=vocabulary.remedy_label)
    assert [h.remedy for h in helps] == ["heat", "rest", "ice", "walking"]
    heat, rest, ice, walking = helps
    # heat 6, 8, 7: mean 7, sd 1; t(0.975, 2) = 4.302653, half width = 4.302653 / sqrt(3)
    assert (heat.label, heat.uses, heat.unrated_uses, heat.mean_relief) == ("Heat", 3, 1, 7)
    assert heat.ci_low == pytest.approx(7 - 2.484138, abs=1e-6)
    assert heat.ci_high == pytest.approx(7 + 2.484138, abs=1e-6)
    assert heat.enough and rest.enough
    assert (rest.uses, rest.mean_relief) == (4, 3)
    assert (ice.uses, ice.mean_relief, ice.ci_low, ice.enough) == (1, 9, None, False)
    assert (walking.uses, walking.unrated_uses, walking.mean_relief) == (0, 2, None)
    assert not walking.enough
    assert what_helps([], 3) == ()


# ---------------------------------------------------------------- streaks and adherence


def test_streaks_across_month_and_year_ends() -> None:
    days = [date(2023, 12, 29) + timedelta(days=n) for n in range(5)]  # 29 Dec to 2 Jan
    days += [date(2024, 1, 30), date(2024, 1, 31), date(2024, 2, 1), date(2024, 2, 2)]
    checkins = [checkin(d, 2) for d in days]
    assert streaks(checkins, date(2024, 2, 2)) == streaks(checkins, date(2024, 2, 3))
    result = streaks(checkins, date(2024, 2, 2))
    assert (result.current, result.longest, result.last_check_in) == (4, 5, date(2024, 2, 2))
    assert streaks(checkins, date(2024, 2, 4)).current == 0
    assert streaks([], date(2024, 2, 4)) == type(result)(0, 0, None)


def test_streak_knows_leap_years() -> None:
    leap = [checkin(date(2024, 2, 28), 1), checkin(date(2024, 3, 1), 1)]
    assert streaks(leap, date(2024, 3, 1)).current == 1  # 29 Feb 2024 is missing
    common = [checkin(date(2023, 2, 28), 1), checkin(date(2023, 3, 1), 1)]
    assert streaks(common, date(2023, 3, 1)).current == 2


def test_adherence_by_hand() -> None:
    start, end = date(2024, 3, 25), date(2024, 3, 31)
    checkins = [
        checkin(date(2024, 3, 24), exercises=("cat_cow",)),  # before the range
        checkin(date(2024, 3, 25), exercises=("cat_cow", "bridge")),
        checkin(date(2024, 3, 26), exercises=("plank",)),  # not in the plan
        checkin(date(2024, 3, 28), exercises=("bridge",)),
        checkin(date(2024, 3, 31), exercises=("bridge",), zone="Europe/London"),
        checkin(date(2024, 3, 31), exercises=("bridge",), zone="Europe/Paris"),  # same day
    ]
    result = adherence(checkins, ["cat_cow", "bridge", "bird_dog"], start, end)
    assert (result.days, result.days_done) == (7, 3)
    assert result.percentage == pytest.approx(300 / 7)
    assert [(e.exercise, e.days) for e in result.per_exercise] == [
        ("cat_cow", 1),
        ("bridge", 3),
        ("bird_dog", 0),
    ]
    no_plan = adherence(checkins, [], start, end)
    assert (no_plan.days_done, no_plan.percentage, no_plan.per_exercise) == (0, None, ())
    backwards = adherence(checkins, ["bridge"], end, start)
    assert (backwards.days, backwards.percentage) == (0, None)


# ---------------------------------------------------------------- local days


@pytest.mark.parametrize(
    ("zone", "change"),
    [
        ("Europe/London", date(2024, 3, 31)),  # clocks go forward: a 23-hour day
        ("Europe/London", date(2024, 10, 27)),  # clocks go back: a 25-hour day
        ("America/New_York", date(2024, 3, 10)),
        ("America/New_York", date(2024, 11, 3)),
    ],
)
def test_clock_changes_neither_add_nor_lose_a_day(zone: str, change: date) -> None:
    days = [change + timedelta(days=n) for n in range(-3, 4)]
    # Late at night and just after midnight: in UTC these land on another date.
    checkins = [
        checkin(
            d,
            n,
            zone=zone,
            recorded_at=at(d, time(23, 30) if n % 2 else time(0, 30), zone),
            exercises=("bridge",),
        )
        for n, d in enumerate(days)
    ]
    assert any(c.recorded_at.date() != c.local_date for c in checkins)
    # 01:30 on the change day: skipped in spring, twice in autumn (fold 0 and 1).
    episodes = [
        episode(change, 6, zone=zone, started_at=at(change, time(1, 30), zone, fold=0)),
        episode(change, 8, zone=zone, started_at=at(change, time(1, 30), zone, fold=1)),
        episode(change, 7, zone=zone, started_at=at(change, time(23, 45), zone)),
    ]
    daily = daily_pain(checkins, days[0], days[-1])
    assert [d.local_date for d in daily] == days
    assert [d.pain_average for d in daily] == list(range(7))
    result = streaks(checkins, days[-1])
    assert (result.current, result.longest) == (7, 7)
    assert adherence(checkins, ["bridge"], days[0], days[-1]).days_done == 7
    points = trends(episodes, checkins, "week", days[0], days[-1])
    assert sum(p.checkins for p in points) == 7
    (changed,) = [p for p in points if p.period_start <= change <= p.period_end]
    assert changed.episodes == 3


def test_flying_tokyo_to_los_angeles_keys_each_check_in_by_its_own_local_date() -> None:
    """Flying west over the date line, 10 March happens twice: in Tokyo, then in LA.

    Decision: the check-in's own local_date is the key, never a date recomputed from
    recorded_at. The two 10 March check-ins describe one calendar day, so that day counts
    once (streaks, adherence, days), and both contribute (pain averaged, worst pain the
    highest, exercises the union): nothing is merged into another day, nothing is lost.
    """
    tokyo, los_angeles = "Asia/Tokyo", "America/Los_Angeles"
    checkins = [
        checkin(date(2024, 3, 9), 2, 3, zone=tokyo),
        # Written at 09:00 in Tokyo (00:00 UTC on 10 March) before the flight...
        checkin(
            date(2024, 3, 10), 4, 5, zone=tokyo,
            recorded_at=at(date(2024, 3, 10), time(9, 0), tokyo), exercises=("cat_cow",),
        ),
        # ...and at 21:00 in Los Angeles: 04:00 UTC on 11 March, still 10 March there.
        checkin(
            date(2024, 3, 10), 6, 8, zone=los_angeles,
            recorded_at=at(date(2024, 3, 10), time(21, 0), los_angeles), exercises=("bridge",),
        ),
        checkin(date(2024, 3, 11), 3, 4, zone=los_angeles),
        checkin(date(2024, 3, 12), 1, 2, zone=los_angeles),
    ]  # fmt: skip
    assert checkins[2].recorded_at.date() == date(2024, 3, 11)  # UTC would misplace it
    daily = daily_pain(checkins, date(2024, 3, 9), date(2024, 3, 12))
    assert [(d.local_date.day, d.pain_average, d.pain_worst) for d in daily] == [
        (9, 2, 3),
        (10, 5, 8),
        (11, 3, 4),
        (12, 1, 2),
    ]
    result = streaks(checkins, date(2024, 3, 12))
    assert (result.current, result.longest) == (4, 4)
    done = adherence(checkins, ["cat_cow", "bridge"], date(2024, 3, 9), date(2024, 3, 12))
    assert done.days_done == 1
    assert [(e.exercise, e.days) for e in done.per_exercise] == [("cat_cow", 1), ("bridge", 1)]
    weeks = trends([], checkins, "week")
    assert [(w.period_start, w.checkins) for w in weeks] == [
        (date(2024, 3, 4), 2),  # Saturday 9 and Sunday 10 March
        (date(2024, 3, 11), 2),
    ]
    assert weeks[0].pain_average == 3.5  # days 2 and 5: the day counts once
    # As a predictor day, 10 March's habits are averaged over its two check-ins.
    sat = [
        checkin(date(2024, 3, 10), 4, zone=tokyo, sitting=10),
        checkin(date(2024, 3, 10), 4, zone=los_angeles, sitting=4),  # mean 7: "without"
        checkin(date(2024, 3, 11), 5, zone=los_angeles),
    ]
    (effect,) = factor_effects([], sat, [LONG_SITTING], min_days=2)
    assert (effect.n_with, effect.n_without) == (0, 1)


# ---------------------------------------------------------------- everything together


def test_summarise_windows(vocabulary: DiaryVocabulary) -> None:
    episodes, checkins = diary(500, 120)
    today = date(2025, 6, 30)  # a Monday
    insights = summarise(episodes, checkins, vocabulary, today, ("cat_cow", "bridge"))
    assert len(insights.weekly) == 26
    assert insights.weekly[0].period_start == date(2025, 1, 6)
    assert insights.weekly[-1].period_start == today
    assert len(insights.monthly) == 12
    assert insights.monthly[0].period_start == date(2024, 7, 1)
    assert insights.monthly[-1].period_start == date(2025, 6, 1)
    assert insights.daily[0].local_date == date(2025, 1, 6)
    assert insights.daily[-1].local_date == today
    assert (insights.adherence.start, insights.adherence.days) == (date(2025, 6, 3), 28)
    assert [e.factor_id for e in insights.factor_effects] == [f.id for f in vocabulary.factors]
    assert all(t.label != t.trigger for t in insights.triggers)
    assert all(r.enough == (r.uses >= 3) for r in insights.what_helps)
    assert insights.streaks.last_check_in is not None


def test_summarise_an_empty_diary(vocabulary: DiaryVocabulary) -> None:
    today = date(2024, 2, 29)
    insights = summarise([], [], vocabulary, today)
    assert len(insights.weekly) == 26 and len(insights.monthly) == 12
    assert all(p.episodes == p.checkins == 0 for p in (*insights.weekly, *insights.monthly))
    assert all(d.pain_average is None for d in insights.daily)
    assert not any(e.enough for e in insights.factor_effects)
    assert insights.triggers == ()
    assert insights.what_helps == ()
    assert (insights.streaks.current, insights.streaks.longest) == (0, 0)
    assert insights.adherence.percentage is None
    with_plan = summarise([], [], vocabulary, today, ["bridge"])
    assert with_plan.adherence.percentage == 0
