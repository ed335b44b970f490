"""What a person's diary shows: trends, likely triggers, what helps, streaks, adherence.

Pure functions over the frozen records of `records.py`: no I/O and no clock (`today` is
passed in), so the same diary always reads the same way.

Days: a day is the person's local date, never a UTC date. Each check-in and episode
belongs to its own `local_date`, so a daylight-saving change or a flight never moves a
record to a neighbouring day. When a flight west across the date line makes a date happen
twice, check-ins written in both zones for that same local date describe one calendar day:
the day is counted once (streaks, adherence, day counts) and both check-ins contribute to
it, none is dropped (pain averages are averaged, worst pain is the highest, exercises are
the union, daily habits are averaged).

Statistics use only `math`: Welch's t interval for a difference of means and a t interval
for a single mean, with the Student t quantile computed here (regularized incomplete beta
by continued fraction, solved by safeguarded Newton steps).
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist
from typing import Literal

from spasmcare.diary.records import CheckIn, Episode
from spasmcare.diary.vocabulary import DiaryVocabulary, Factor

__all__ = [
    "Adherence",
    "DayPain",
    "ExerciseDays",
    "FactorEffect",
    "Insights",
    "MeanDifference",
    "Period",
    "RemedyRelief",
    "Streaks",
    "TrendPoint",
    "TriggerCount",
    "adherence",
    "daily_pain",
    "episode_triggers",
    "factor_effects",
    "mean_difference",
    "mean_interval",
    "streaks",
    "summarise",
    "t_cdf",
    "t_quantile",
    "trends",
    "what_helps",
]

Period = Literal["week", "month"]
ONE_DAY = timedelta(days=1)
CONFIDENCE = 0.95
WEEKS_OF_TRENDS = 26
MONTHS_OF_TRENDS = 12
ADHERENCE_DAYS = 28
LARGE_DF = 1000.0  # from here the t quantile comes from the Cornish-Fisher expansion alone


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One ISO week (Monday to Sunday) or calendar month of the diary."""

    period: Period
    period_start: date
    period_end: date
    pain_average: float | None  # mean of the days' average pain
    pain_worst: float | None  # highest worst pain of any day
    episodes: int
    mean_intensity: float | None  # of the period's episodes
    checkins: int  # local days with a check-in (a date counts once)


@dataclass(frozen=True, slots=True)
class DayPain:
    local_date: date
    pain_average: float | None  # None: no check-in (or no pain given) that day
    pain_worst: float | None


@dataclass(frozen=True, slots=True)
class MeanDifference:
    """Two group means, their difference (first minus second) and its interval."""

    mean_with: float
    mean_without: float
    difference: float
    ci_low: float
    ci_high: float
    df: float  # Welch-Satterthwaite degrees of freedom (inf when neither group varies)


@dataclass(frozen=True, slots=True)
class FactorEffect:
    """How the day after a daily habit compares with the day after a day without it.

    Pairs are (a day with the factor's field recorded, the next local day with a check-in
    giving average pain); the same pairs give the next-day pain and episode rate.
    """

    factor_id: str
    label: str
    n_with: int
    n_without: int
    min_days: int
    enough: bool  # both groups have at least `min_days` days
    with_mean: float | None  # next-day average pain
    without_mean: float | None
    difference: float | None  # with minus without
    ci_low: float | None  # 95% Welch interval of the difference
    ci_high: float | None
    episode_rate_with: float | None  # episodes per day on the next day
    episode_rate_without: float | None
    episode_rate_difference: float | None
    episode_ci_low: float | None
    episode_ci_high: float | None
    message: str  # plain-language reading of the pain difference
    episode_message: str | None  # of the episode rate; None when not enough data

    @property
    def clear(self) -> bool:
        """Enough data and the pain interval leaves out zero."""
        return _excludes_zero(self.ci_low, self.ci_high) and self.enough

    @property
    def episode_clear(self) -> bool:
        return _excludes_zero(self.episode_ci_low, self.episode_ci_high) and self.enough


@dataclass(frozen=True, slots=True)
class TriggerCount:
    trigger: str  # finding code
    label: str
    count: int  # episodes naming it
    share: float  # of all episodes, 0-1
    mean_intensity_with: float | None
    mean_intensity_without: float | None  # None when every episode names it


@dataclass(frozen=True, slots=True)
class RemedyRelief:
    remedy: str
    label: str
    uses: int  # uses with a relief rating
    unrated_uses: int
    mean_relief: float | None  # 0-10; None when never rated
    ci_low: float | None  # 95% t interval of the mean; None under 2 ratings
    ci_high: float | None
    enough: bool  # uses >= min_uses: compared with the others


@dataclass(frozen=True, slots=True)
class Streaks:
    current: int  # consecutive days with a check-in ending today or yesterday
    longest: int
    last_check_in: date | None


@dataclass(frozen=True, slots=True)
class ExerciseDays:
    exercise: str
    days: int  # days in the range it was done


@dataclass(frozen=True, slots=True)
class Adherence:
    start: date
    end: date
    days: int  # days in the range
    days_done: int  # days with at least one of the plan's exercises done
    percentage: float | None  # None when the range or the plan is empty
    per_exercise: tuple[ExerciseDays, ...]  # in plan order


@dataclass(frozen=True, slots=True)
class Insights:
    today: date
    weekly: tuple[TrendPoint, ...]  # the last 26 ISO weeks, this week included
    monthly: tuple[TrendPoint, ...]  # the last 12 calendar months, this month included
    daily: tuple[DayPain, ...]  # the days of the weekly window, for the pain chart
    factor_effects: tuple[FactorEffect, ...]
    triggers: tuple[TriggerCount, ...]
    what_helps: tuple[RemedyRelief, ...]
    streaks: Streaks
    adherence: Adherence  # the last 28 days, today included


# ---------------------------------------------------------------- days


class _Day:
    """The check-ins of one local date, combined (see the module docstring)."""

    __slots__ = ("checkins", "pain_average", "pain_worst")

    def __init__(self, checkins: list[CheckIn]) -> None:
        self.checkins = checkins
        self.pain_average = _mean_or_none(c.pain_average for c in checkins)
        worst = [c.pain_worst for c in checkins if c.pain_worst is not None]
        self.pain_worst: float | None = float(max(worst)) if worst else None

    def value(self, field: str) -> float | None:
        if len(self.checkins) == 1:  # the usual case, without building a list
            number: float | None = getattr(self.checkins[0], field)
            return None if number is None else float(number)
        return _mean_or_none(getattr(c, field) for c in self.checkins)

    def exercises(self) -> set[str]:
        return {e for c in self.checkins for e in c.exercises_done}


def _days(checkins: Iterable[CheckIn]) -> dict[date, _Day]:
    grouped: dict[date, list[CheckIn]] = defaultdict(list)
    for checkin in checkins:
        grouped[checkin.local_date].append(checkin)
    return {day: _Day(group) for day, group in grouped.items()}


def _mean_or_none(values: Iterable[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


def _period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_period(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return _add_months(start, 1)


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# ---------------------------------------------------------------- statistics


def _regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) by the continued fraction (Lentz), on the side where it converges fast."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 1000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            step = c * d
            fraction *= step
        if abs(step - 1.0) < 1e-15:
            break
    return fraction


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0, computed directly so small tails keep their precision."""
    t2 = t * t
    if t2 < df:  # near the centre: through P(|T| < t), which has no cancellation there
        return 0.5 - 0.5 * _regularized_incomplete_beta(0.5, df / 2.0, t2 / (df + t2))
    return 0.5 * _regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t2))


def _t_density(t: float, df: float) -> float:
    log_density = (
        math.lgamma((df + 1.0) / 2.0)
        - math.lgamma(df / 2.0)
        - 0.5 * math.log(df * math.pi)
        - (df + 1.0) / 2.0 * math.log1p(t * t / df)
    )
    return math.exp(log_density)


def t_cdf(t: float, df: float) -> float:
    """The Student t distribution function P(T <= t) with `df` (> 0) degrees of freedom.

    Accurate to ~1e-12 up to a few thousand degrees of freedom, ~1e-9 beyond.
    """
    if not df > 0:
        raise ValueError("degrees of freedom must be positive")
    if math.isinf(df):
        return NormalDist().cdf(t)
    upper = _t_upper_tail(abs(t), df)
    return 1.0 - upper if t >= 0 else upper


@functools.lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The Student t inverse distribution function: the t with P(T <= t) = p.

    Solved on the upper tail by Newton steps from the Cornish-Fisher expansion, kept
    inside a shrinking bracket (bisection when a step leaves it); accurate to ~1e-12.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    if not df > 0:
        raise ValueError("degrees of freedom must be positive")
    if math.isinf(df):
        return NormalDist().inv_cdf(p)
    if p == 0.5:
        return 0.0
    tail = min(p, 1.0 - p)  # solve P(T > t) = tail for t > 0, then restore the sign
    sign = 1.0 if p > 0.5 else -1.0
    z = NormalDist().inv_cdf(1.0 - tail)
    if df >= LARGE_DF:  # the expansion is exact to ~1e-12 here, the beta function is not
        return sign * _cornish_fisher(z, df)
    if df == 1.0:
        return sign * math.tan(math.pi * (0.5 - tail))
    if df == 2.0:
        return sign * (1.0 - 2.0 * tail) / math.sqrt(2.0 * tail * (1.0 - tail))
    low, high = 0.0, 1.0
    while _t_upper_tail(high, df) > tail:
        low, high = high, high * 2.0
    t = min(max(_cornish_fisher(z, df), low), high)
    for _ in range(200):
        excess = _t_upper_tail(t, df) - tail  # positive: t is still too small
        if excess > 0:
            low = t
        else:
            high = t
        step = excess / _t_density(t, df)
        candidate = t + step
        if not low < candidate < high:
            candidate = (low + high) / 2.0
        if abs(candidate - t) <= 1e-13 * max(1.0, abs(t)):
            return sign * candidate
        t = candidate
    return sign * t


def _cornish_fisher(z: float, df: float) -> float:
    """Abramowitz & Stegun 26.7.5: a t quantile from the normal one, good for df > 3."""
    z2 = z * z
    g1 = (z2 + 1.0) * z / 4.0
    g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0
    g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0
    g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _mean_and_variance(values: Sequence[float]) -> tuple[float, float]:
    """The mean and the sample variance (n - 1), two-pass for accuracy."""
    mean = math.fsum(values) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, variance


def mean_difference(
    with_values: Sequence[float], without_values: Sequence[float], level: float = CONFIDENCE
) -> MeanDifference | None:
    """Welch's interval for mean(with) - mean(without); None if a group has under 2 values.

    When neither group varies the interval collapses to the difference itself.
    """
    if len(with_values) < 2 or len(without_values) < 2:
        return None
    mean_with, var_with = _mean_and_variance(with_values)
    mean_without, var_without = _mean_and_variance(without_values)
    share_with = var_with / len(with_values)
    share_without = var_without / len(without_values)
    standard_error = math.sqrt(share_with + share_without)
    difference = mean_with - mean_without
    if standard_error == 0.0:
        return MeanDifference(mean_with, mean_without, difference, difference, difference, math.inf)
    df = (share_with + share_without) ** 2 / (
        share_with**2 / (len(with_values) - 1) + share_without**2 / (len(without_values) - 1)
    )
    half_width = t_quantile(0.5 + level / 2.0, df) * standard_error
    return MeanDifference(
        mean_with, mean_without, difference, difference - half_width, difference + half_width, df
    )


def mean_interval(values: Sequence[float], level: float = CONFIDENCE) -> tuple[float, float] | None:
    """The t interval of a mean; None under 2 values."""
    if len(values) < 2:
        return None
    mean, variance = _mean_and_variance(values)
    half_width = t_quantile(0.5 + level / 2.0, len(values) - 1) * math.sqrt(variance / len(values))
    return mean - half_width, mean + half_width


def _excludes_zero(low: float | None, high: float | None) -> bool:
    return low is not None and high is not None and (low > 0 or high < 0)


# ---------------------------------------------------------------- trends and daily pain


def trends(
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    period: Period,
    start: date | None = None,
    end: date | None = None,
) -> tuple[TrendPoint, ...]:
    """One point per ISO week or calendar month touching start..end, empty periods included.

    Only records dated within start..end count. Without start or end, the diary's first
    or last record date is used; an empty diary without both gives no points.
    """
    if period not in ("week", "month"):
        raise ValueError(f"period must be 'week' or 'month', not {period!r}")
    days = _days(checkins)
    if start is None or end is None:
        dates = [*days, *(e.local_date for e in episodes)]
        if not dates:
            return ()
        start = start if start is not None else min(dates)
        end = end if end is not None else max(dates)
    if end < start:
        return ()
    averages: dict[date, list[float]] = defaultdict(list)
    worsts: dict[date, list[float]] = defaultdict(list)
    checkin_days: Counter[date] = Counter()
    intensities: dict[date, list[int]] = defaultdict(list)
    for day, record in days.items():
        if start <= day <= end:
            key = _period_start(day, period)
            checkin_days[key] += 1
            if record.pain_average is not None:
                averages[key].append(record.pain_average)
            if record.pain_worst is not None:
                worsts[key].append(record.pain_worst)
    for episode in episodes:
        if start <= episode.local_date <= end:
            intensities[_period_start(episode.local_date, period)].append(episode.intensity)

    points: list[TrendPoint] = []
    key = _period_start(start, period)
    while key <= end:
        following = _next_period(key, period)
        period_averages = averages.get(key, [])
        period_worsts = worsts.get(key, [])
        period_intensities = intensities.get(key, [])
        points.append(
            TrendPoint(
                period=period,
                period_start=key,
                period_end=following - ONE_DAY,
                pain_average=_mean_or_none(period_averages),
                pain_worst=max(period_worsts) if period_worsts else None,
                episodes=len(period_intensities),
                mean_intensity=_mean_or_none(period_intensities),
                checkins=checkin_days.get(key, 0),
            )
        )
        key = following
    return tuple(points)


def daily_pain(checkins: Sequence[CheckIn], start: date, end: date) -> tuple[DayPain, ...]:
    """Every local date from start to end with that day's average and worst pain."""
    days = _days(c for c in checkins if start <= c.local_date <= end)
    result: list[DayPain] = []
    day = start
    while day <= end:
        record = days.get(day)
        if record is None:
            result.append(DayPain(day, None, None))
        else:
            result.append(DayPain(day, record.pain_average, record.pain_worst))
        day += ONE_DAY
    return tuple(result)


# ---------------------------------------------------------------- factors


def factor_effects(
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    factors: Sequence[Factor],
    min_days: int,
) -> tuple[FactorEffect, ...]:
    """For each factor, next-day pain and episode rate after days with it versus without.

    A day is "with" when `factor.holds(value)` for its check-in's field; days without the
    field recorded are left out, and so are days whose next local day has no check-in with
    average pain (we cannot tell how that day went). Intervals are Welch's at 95%; a
    factor needs `min_days` (at least 2) days in each group before it is read.
    """
    days = _days(checkins)
    episodes_on = Counter(e.local_date for e in episodes)
    pairs: list[tuple[_Day, float, int]] = []
    for day, record in days.items():
        following = days.get(day + ONE_DAY)
        if following is not None and following.pain_average is not None:
            pairs.append((record, following.pain_average, episodes_on.get(day + ONE_DAY, 0)))
    return tuple(_factor_effect(factor, pairs, min_days) for factor in factors)


def _factor_effect(
    factor: Factor, pairs: Sequence[tuple[_Day, float, int]], min_days: int
) -> FactorEffect:
    pain_with: list[float] = []
    pain_without: list[float] = []
    episodes_with: list[float] = []
    episodes_without: list[float] = []
    for record, next_pain, next_episodes in pairs:
        value = record.value(factor.field)
        if value is None:
            continue
        if factor.holds(value):
            pain_with.append(next_pain)
            episodes_with.append(next_episodes)
        else:
            pain_without.append(next_pain)
            episodes_without.append(next_episodes)
    n_with, n_without = len(pain_with), len(pain_without)
    needed = max(min_days, 2)  # an interval needs two days in each group
    pain = mean_difference(pain_with, pain_without)
    rate = mean_difference(episodes_with, episodes_without)
    with_mean, without_mean = _mean_or_none(pain_with), _mean_or_none(pain_without)
    rate_with, rate_without = _mean_or_none(episodes_with), _mean_or_none(episodes_without)
    if n_with >= needed and n_without >= needed and pain is not None and rate is not None:
        enough = True
        message = _pain_message(factor.label, pain, n_with, n_without)
        episode_message: str | None = _episode_message(rate)
    else:
        enough = False
        days_word = "day" if n_with == 1 else "days"
        message = (
            f"{factor.label}: not enough data yet "
            f"({n_with} {days_word} with and {n_without} without; "
            f"SpasmCare needs at least {needed} of each)."
        )
        episode_message = None
    return FactorEffect(
        factor_id=factor.id,
        label=factor.label,
        n_with=n_with,
        n_without=n_without,
        min_days=needed,
        enough=enough,
        with_mean=with_mean,
        without_mean=without_mean,
        difference=_difference(with_mean, without_mean),
        ci_low=pain.ci_low if pain else None,
        ci_high=pain.ci_high if pain else None,
        episode_rate_with=rate_with,
        episode_rate_without=rate_without,
        episode_rate_difference=_difference(rate_with, rate_without),
        episode_ci_low=rate.ci_low if rate else None,
        episode_ci_high=rate.ci_high if rate else None,
        message=message,
        episode_message=episode_message,
    )


def _difference(first: float | None, second: float | None) -> float | None:
    return None if first is None or second is None else first - second


def _pain_message(label: str, pain: MeanDifference, n_with: int, n_without: int) -> str:
    after = f"On days after {_lower_first(label)}"
    interval = f"95% CI {_number(pain.ci_low)} to {_number(pain.ci_high)}"
    counts = f"{n_with} and {n_without} days"
    if not _excludes_zero(pain.ci_low, pain.ci_high):
        return (
            f"{after}, there was no clear difference in pain "
            f"({_signed(pain.difference)} points; {interval}; {counts})."
        )
    direction = "higher" if pain.difference > 0 else "lower"
    size = _number(abs(pain.difference))
    return f"{after}, pain was {size} points {direction} ({interval}; {counts})."


def _episode_message(rate: MeanDifference) -> str:
    rates = f"{_number(rate.mean_with, 2)} vs {_number(rate.mean_without, 2)} a day"
    interval = f"95% CI {_number(rate.ci_low, 2)} to {_number(rate.ci_high, 2)}"
    if not _excludes_zero(rate.ci_low, rate.ci_high):
        return f"Spasm episodes the day after: no clear difference ({rates}; {interval})."
    direction = "more" if rate.difference > 0 else "less"
    return f"Spasm episodes were {direction} frequent the day after ({rates}; {interval})."


def _number(value: float, decimals: int = 1) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.0"


def _signed(value: float, decimals: int = 1) -> str:
    text = _number(value, decimals)
    return text if text.startswith("-") or float(text) == 0 else f"+{text}"


def _lower_first(label: str) -> str:
    # "Less than 6 hours" reads "less than 6 hours" mid-sentence; "NSAID" stays as it is.
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


# ---------------------------------------------------------------- episodes


def episode_triggers(
    episodes: Sequence[Episode], label_of: Callable[[str], str] | None = None
) -> tuple[TriggerCount, ...]:
    """Each trigger named in the episodes, most often named first (ties by code)."""
    total = len(episodes)
    if total == 0:
        return ()
    intensity_sum = sum(e.intensity for e in episodes)
    counts: Counter[str] = Counter()
    sums: Counter[str] = Counter()
    for episode in episodes:
        for trigger in dict.fromkeys(episode.triggers):  # an episode counts once per trigger
            counts[trigger] += 1
            sums[trigger] += episode.intensity
    result = []
    for trigger, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rest = total - count
        result.append(
            TriggerCount(
                trigger=trigger,
                label=label_of(trigger) if label_of else trigger,
                count=count,
                share=count / total,
                mean_intensity_with=sums[trigger] / count,
                mean_intensity_without=(intensity_sum - sums[trigger]) / rest if rest else None,
            )
        )
    return tuple(result)


def what_helps(
    episodes: Sequence[Episode], min_uses: int, label_of: Callable[[str], str] | None = None
) -> tuple[RemedyRelief, ...]:
    """Each remedy tried, with its rated relief; compared (best first) once rated enough.

    Remedies with fewer than `min_uses` ratings follow, most rated first.
    """
    ratings: dict[str, list[float]] = {}
    unrated: Counter[str] = Counter()
    for episode in episodes:
        for use in episode.remedies:
            ratings.setdefault(use.remedy, [])
            if use.relief is None:
                unrated[use.remedy] += 1
            else:
                ratings[use.remedy].append(float(use.relief))
    reliefs = []
    for remedy, values in ratings.items():
        interval = mean_interval(values)
        reliefs.append(
            RemedyRelief(
                remedy=remedy,
                label=label_of(remedy) if label_of else remedy,
                uses=len(values),
                unrated_uses=unrated[remedy],
                mean_relief=_mean_or_none(values),
                ci_low=interval[0] if interval else None,
                ci_high=interval[1] if interval else None,
                enough=len(values) >= min_uses,
            )
        )

    def order(relief: RemedyRelief) -> tuple[int, float, float, str]:
        mean = relief.mean_relief if relief.mean_relief is not None else -1.0
        if relief.enough:
            return (0, -mean, -relief.uses, relief.remedy)
        return (1, -relief.uses, -mean, relief.remedy)

    return tuple(sorted(reliefs, key=order))


# ---------------------------------------------------------------- habits


def streaks(checkins: Sequence[CheckIn], today: date) -> Streaks:
    """Runs of consecutive local days with a check-in.

    The current run ends today, or yesterday when today has no check-in yet.
    """
    dates = {c.local_date for c in checkins}
    if not dates:
        return Streaks(current=0, longest=0, last_check_in=None)
    longest = run = 0
    previous: date | None = None
    for day in sorted(dates):
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in dates else today - ONE_DAY
    while day in dates:
        current += 1
        day -= ONE_DAY
    return Streaks(current=current, longest=longest, last_check_in=max(dates))


def adherence(
    checkins: Sequence[CheckIn], plan_exercises: Sequence[str], start: date, end: date
) -> Adherence:
    """Days in start..end (both included) with at least one of the plan's exercises done."""
    plan = tuple(dict.fromkeys(plan_exercises))
    span = max((end - start).days + 1, 0)
    days = _days(c for c in checkins if start <= c.local_date <= end)
    per_exercise: Counter[str] = Counter()
    days_done = 0
    for record in days.values():
        done = record.exercises().intersection(plan)
        per_exercise.update(done)
        days_done += bool(done)
    return Adherence(
        start=start,
        end=end,
        days=span,
        days_done=days_done,
        percentage=100.0 * days_done / span if span and plan else None,
        per_exercise=tuple(ExerciseDays(e, per_exercise[e]) for e in plan),
    )


# ---------------------------------------------------------------- everything


def summarise(
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    vocabulary: DiaryVocabulary,
    today: date,
    plan_exercises: Sequence[str] = (),
) -> Insights:
    """Everything the diary page shows, read as of the person's local `today`."""
    week_start = _period_start(today, "week") - timedelta(weeks=WEEKS_OF_TRENDS - 1)
    month_start = _add_months(_period_start(today, "month"), 1 - MONTHS_OF_TRENDS)
    reading = vocabulary.reading
    return Insights(
        today=today,
        weekly=trends(episodes, checkins, "week", week_start, today),
        monthly=trends(episodes, checkins, "month", month_start, today),
        daily=daily_pain(checkins, week_start, today),
        factor_effects=factor_effects(
            episodes, checkins, vocabulary.factors, reading.min_days_per_group
        ),
        triggers=episode_triggers(episodes, vocabulary.trigger_label),
        what_helps=what_helps(episodes, reading.min_remedy_uses, vocabulary.remedy_label),
        streaks=streaks(checkins, today),
        adherence=adherence(
            checkins, plan_exercises, today - timedelta(days=ADHERENCE_DAYS - 1), today
        ),
    )
