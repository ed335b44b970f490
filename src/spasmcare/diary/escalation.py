"""When the diary says it is time to get care: alerts, each with its reason and sources.

Pure: the records, the last saved assessment (if any) and today's date in, alerts out.
Four kinds, worded in knowledge/data/diary.yaml:

* a warning sign ticked in a check-in, or found in a note, recently: the engine judges how
  urgent it is, with the person's age and history from their last assessment (never less
  than routine: when unsure, escalate);
* pain getting worse: the average over the last window clearly above the window before;
* spasms coming more often than in the window before;
* no improvement after the self-care window of the last assessment's likely cause.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from spasmcare.diary.records import CheckIn, Episode
from spasmcare.diary.vocabulary import DiaryVocabulary
from spasmcare.domain.triage import TriageLevel
from spasmcare.engine import DEFAULT_PARAMS, assess
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.narrative.extract import extract

# Facts that do not change from day to day; carried over from the last assessment so a
# warning sign is judged for this person (age, history), not for anyone.
_LASTING_GROUPS = frozenset({"demographics", "history_and_risks"})


@dataclass(frozen=True, slots=True)
class LastAssessment:
    """What escalation needs from the person's last saved assessment."""

    made_on: date
    triage: TriageLevel
    top_condition: str
    findings: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # warning_sign | worsening | more_frequent | not_improving
    level: TriageLevel
    title: str
    message: str
    reasons: tuple[str, ...]  # for a warning sign: what the engine says about it
    findings: tuple[str, ...]
    sources: tuple[str, ...]
    on: date  # the day it is about


def alerts(
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    last: LastAssessment | None,
    vocabulary: DiaryVocabulary,
    kb: KnowledgeBase,
    today: date,
) -> tuple[Alert, ...]:
    """Every alert that applies today, most urgent first."""
    found = [
        *_warning_signs(episodes, checkins, last, vocabulary, kb, today),
        *_worsening(checkins, vocabulary, today),
        *_more_frequent(episodes, checkins, vocabulary, today),
        *_not_improving(checkins, last, vocabulary, kb, today),
    ]
    return tuple(sorted(found, key=lambda alert: -alert.level.urgency))


def _notes(
    episodes: Sequence[Episode], checkins: Sequence[CheckIn], since: date
) -> list[tuple[date, str]]:
    texts = [
        (e.local_date, note)
        for e in episodes
        if e.local_date >= since
        for note in (e.notes, e.trigger_note)
        if note
    ]
    texts += [(c.local_date, c.note) for c in checkins if c.local_date >= since and c.note]
    return texts


def _warning_signs(
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    last: LastAssessment | None,
    vocabulary: DiaryVocabulary,
    kb: KnowledgeBase,
    today: date,
) -> list[Alert]:
    rule = vocabulary.reading.warning_sign
    since = today - timedelta(days=rule.window_days - 1)
    by_day: dict[date, set[str]] = {}
    for checkin in checkins:
        if checkin.local_date >= since and checkin.warning_signs:
            by_day.setdefault(checkin.local_date, set()).update(checkin.warning_signs)
    for day, text in _notes(episodes, checkins, since):
        said = extract(text, kb).findings
        signs = {
            code for code, value in said.items() if value is True and code in kb.red_flag_codes
        }
        if signs:
            by_day.setdefault(day, set()).update(signs)
    if not by_day:
        return []
    lasting = {
        code: value
        for code, value in (last.findings if last else {}).items()
        if code in kb.findings and kb.findings[code].group in _LASTING_GROUPS
    }
    alerts_found = []
    for day, signs in sorted(by_day.items(), reverse=True):
        findings = {**lasting, **dict.fromkeys(sorted(signs), True)}
        result = assess(findings, kb, replace(DEFAULT_PARAMS, screen_unasked=False))
        level = max(result.triage, TriageLevel.ROUTINE, key=lambda lvl: lvl.urgency)
        fired = tuple(r.text for r in result.red_flags)
        alerts_found.append(
            Alert(
                kind="warning_sign",
                level=level,
                title=rule.title,
                message=rule.message.format(
                    date=day.isoformat(),
                    signs="; ".join(kb.findings[code].means for code in sorted(signs)),
                ),
                reasons=fired,
                findings=tuple(sorted(signs)),
                sources=tuple(
                    dict.fromkeys(
                        [*rule.sources, *(s for r in result.red_flags for s in r.sources)]
                    )
                ),
                on=day,
            )
        )
    return alerts_found[:3]


def _mean_pain(checkins: Sequence[CheckIn], first: date, last: date) -> tuple[float | None, int]:
    values = [
        c.pain_average
        for c in checkins
        if first <= c.local_date <= last and c.pain_average is not None
    ]
    return (statistics.fmean(values) if values else None), len(values)


def _worsening(
    checkins: Sequence[CheckIn], vocabulary: DiaryVocabulary, today: date
) -> list[Alert]:
    rule = vocabulary.reading.worsening
    days = rule.window_days
    recent, n_recent = _mean_pain(checkins, today - timedelta(days=days - 1), today)
    before, n_before = _mean_pain(
        checkins, today - timedelta(days=2 * days - 1), today - timedelta(days=days)
    )
    if recent is None or before is None or min(n_recent, n_before) < rule.min_checkins:
        return []
    if recent - before < rule.min_rise:
        return []
    message = rule.message.format(
        days=days, recent=f"{recent:.1f}", before=f"{before:.1f}", rise=f"{recent - before:.1f}"
    )
    return [
        Alert(
            "worsening",
            TriageLevel(rule.level),
            rule.title,
            message,
            (),
            (),
            tuple(rule.sources),
            today,
        )
    ]


def _more_frequent(
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    vocabulary: DiaryVocabulary,
    today: date,
) -> list[Alert]:
    rule = vocabulary.reading.more_frequent
    days = rule.window_days
    start = today - timedelta(days=days - 1)
    previous = start - timedelta(days=days)
    kept_since = min(
        [*(e.local_date for e in episodes), *(c.local_date for c in checkins)], default=today
    )
    if kept_since > previous:
        return []  # the diary did not cover the window before: no "before" to compare with
    recent = sum(1 for e in episodes if start <= e.local_date <= today)
    before = sum(1 for e in episodes if previous <= e.local_date < start)
    if recent < rule.min_episodes or recent < rule.min_ratio * max(before, 1):
        return []
    message = rule.message.format(days=days, recent=recent, before=before)
    return [
        Alert(
            "more_frequent",
            TriageLevel(rule.level),
            rule.title,
            message,
            (),
            (),
            tuple(rule.sources),
            today,
        )
    ]


def _not_improving(
    checkins: Sequence[CheckIn],
    last: LastAssessment | None,
    vocabulary: DiaryVocabulary,
    kb: KnowledgeBase,
    today: date,
) -> list[Alert]:
    """Only after a self-care or routine assessment: an urgent one already said to get care."""
    rule = vocabulary.reading.not_improving
    if last is None or last.triage.urgency > TriageLevel.ROUTINE.urgency:
        return []
    condition = kb.conditions.get(last.top_condition)
    window = condition.self_care_window_days if condition else None
    if condition is None or window is None:
        return []
    had_for = last.findings.get("duration_days")
    began = last.made_on - timedelta(days=int(had_for) if isinstance(had_for, int | float) else 0)
    if (today - began).days <= window:
        return []
    pain, count = _mean_pain(checkins, today - timedelta(days=6), today)
    if pain is None or count < 3 or pain < rule.min_pain:
        return []
    message = rule.message.format(
        pain=f"{pain:.1f}", condition=condition.name, window=window, days=(today - began).days
    )
    sources = tuple(dict.fromkeys([*rule.sources, *condition.sources]))
    return [
        Alert("not_improving", TriageLevel(rule.level), rule.title, message, (), (), sources, today)
    ]
