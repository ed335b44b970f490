"""What the diary shows a person, put together from the database: insights, alerts, charts,
the doctor report, and imports (all rows or none)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from spasmcare.diary import charts, transfer
from spasmcare.diary.escalation import Alert, LastAssessment, alerts
from spasmcare.diary.insights import Insights, summarise
from spasmcare.diary.records import Episode, local_date_of
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.domain.plain import plain
from spasmcare.domain.triage import TriageLevel
from spasmcare.errors import DiaryImportError, DiaryInputError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.services import diary as records
from spasmcare.storage.tables import User

# Every alert looks back at most this far (two windows of the longest rule).
_ALERT_LOOKBACK_DAYS = 60
REPORT_DEFAULT_DAYS = 90
WEB_CHART_WIDTH = 400
REPORT_MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Overview:
    insights: Insights
    alerts: tuple[Alert, ...]
    episodes: tuple[Episode, ...]  # those in the pain chart's window
    chart_days: int
    _charts: dict[str, str] = field(default_factory=dict, compare=False)

    def charts(self) -> dict[str, str]:
        """The SVG charts, drawn once per overview."""
        if not self._charts:
            daily = self.insights.daily[-self.chart_days :]
            # Drawn narrow: they are read on phones first; CSS caps their size on a desktop.
            width = WEB_CHART_WIDTH
            insights = self.insights
            self._charts.update(
                {
                    "pain": charts.pain_chart(daily, self.episodes, width, 240),
                    "triggers": charts.factor_chart(insights.factor_effects, width),
                    "relief": charts.relief_chart(insights.what_helps, width),
                    "weekly": charts.trend_chart(insights.weekly, width, 220, "weekly-chart"),
                    "monthly": charts.trend_chart(insights.monthly, width, 220, "monthly-chart"),
                }
            )
        return self._charts

    def insights_data(self) -> dict[str, Any]:
        data = plain(self.insights)
        data["alerts"] = [alert_public(alert) for alert in self.alerts]
        return data


def last_assessment(session: Session, user: User) -> LastAssessment | None:
    record = records.latest_assessment(session, user)
    if record is None:
        return None
    return LastAssessment(
        made_on=local_date_of(record.created_at, user.timezone),
        triage=TriageLevel(record.triage),
        top_condition=record.top_condition,
        findings=record.findings,
    )


def plan_exercises(session: Session, user: User) -> tuple[str, ...]:
    """The exercises of the care plan given with the person's latest assessment."""
    record = records.latest_assessment(session, user)
    if record is None or record.care_plan is None:
        return ()
    return tuple(
        item["id"]
        for phase in record.care_plan.plan["phases"]
        for item in phase["items"]
        if item["kind"] == "exercise"
    )


def alerts_for(session: Session, user: User, kb: KnowledgeBase, now: datetime) -> tuple[Alert, ...]:
    today = records.today_for(user, now)
    book = records.diary(session, user, today - timedelta(days=_ALERT_LOOKBACK_DAYS), today)
    return alerts(
        book.episodes,
        book.checkins,
        last_assessment(session, user),
        diary_vocabulary(kb),
        kb,
        today,
    )


def overview(
    session: Session,
    user: User,
    kb: KnowledgeBase,
    now: datetime,
    days: int = 182,
    whole_history: bool = True,
) -> Overview:
    """Insights, alerts, and charts of the last `days` days. Factor effects use the whole
    diary unless `whole_history` is False (the diary's home page needs only recent days)."""
    today = records.today_for(user, now)
    since = None if whole_history else today - timedelta(days=max(days, _ALERT_LOOKBACK_DAYS))
    book = records.diary(session, user, since)
    vocabulary = diary_vocabulary(kb)
    insights = summarise(
        book.episodes, book.checkins, vocabulary, today, plan_exercises(session, user)
    )
    recent = today - timedelta(days=_ALERT_LOOKBACK_DAYS)
    found = alerts(
        [e for e in book.episodes if e.local_date >= recent],
        [c for c in book.checkins if c.local_date >= recent],
        last_assessment(session, user),
        vocabulary,
        kb,
        today,
    )
    shown_from = today - timedelta(days=days - 1)
    shown = tuple(e for e in book.episodes if e.local_date >= shown_from)
    return Overview(insights, found, shown, days)


def alert_public(alert: Alert) -> dict[str, Any]:
    return {
        "kind": alert.kind,
        "level": alert.level.value,
        "title": alert.title,
        "message": alert.message,
        "reasons": list(alert.reasons),
        "findings": list(alert.findings),
        "sources": list(alert.sources),
        "on": alert.on.isoformat(),
        "reassess": "/check",
    }


def report_period(
    user: User, now: datetime, start: date | None, end: date | None
) -> tuple[date, date]:
    last = end or records.today_for(user, now)
    first = start or last - timedelta(days=REPORT_DEFAULT_DAYS - 1)
    if first > last:
        raise DiaryInputError("from", "the start of the period is after its end")
    if (last - first).days > REPORT_MAX_DAYS:
        raise DiaryInputError("from", "a report covers at most three years")
    return first, last


def report_pdf(
    session: Session,
    user: User,
    kb: KnowledgeBase,
    now: datetime,
    start: date | None,
    end: date | None,
) -> bytes:
    """The doctor report for a period, as PDF bytes."""
    from spasmcare.reports.diary_report import diary_report_pdf

    first, last = report_period(user, now, start, end)
    book = records.diary(session, user, first, last)
    vocabulary = diary_vocabulary(kb)
    latest = records.latest_assessment(session, user)
    insights = summarise(
        book.episodes, book.checkins, vocabulary, last, plan_exercises(session, user)
    )
    found = alerts(
        book.episodes, book.checkins, last_assessment(session, user), vocabulary, kb, last
    )
    return diary_report_pdf(
        kb=kb,
        vocabulary=vocabulary,
        start=first,
        end=last,
        episodes=book.episodes,
        checkins=book.checkins,
        insights=insights,
        alerts=found,
        assessment=None if latest is None else latest.result,
        assessed_on=None if latest is None else local_date_of(latest.created_at, user.timezone),
        made_on=records.today_for(user, now),
    )


def import_file(
    session: Session,
    user: User,
    raw: bytes,
    is_json: bool,
    kind: transfer.Kind,
    kb: KnowledgeBase,
    now: datetime,
) -> dict[str, int]:
    """An uploaded file: a JSON export, or a CSV of one kind of entry. DiaryImportError
    lists every problem; nothing is stored unless all of it can be."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DiaryImportError(["the file is not UTF-8 text"]) from None
    if not is_json:
        return import_csv(session, user, text, kind, kb, now)
    try:
        data = json.loads(text)
    except ValueError as error:
        raise DiaryImportError([f"not valid JSON: {error}"]) from None
    return import_json(session, user, data, kb, now)


def import_csv(
    session: Session, user: User, text: str, kind: transfer.Kind, kb: KnowledgeBase, now: datetime
) -> dict[str, int]:
    """Every row checked before anything is stored; the request's transaction makes the
    import all or nothing."""
    vocabulary = diary_vocabulary(kb)
    entries = transfer.read_csv(text, kind, vocabulary, kb)
    if kind == "episodes":
        return _store(session, user, entries, [], kb, now)
    return _store(session, user, [], entries, kb, now)


def import_json(
    session: Session, user: User, data: object, kb: KnowledgeBase, now: datetime
) -> dict[str, int]:
    episodes, checkins = transfer.read_json(data, diary_vocabulary(kb), kb)
    return _store(session, user, episodes, checkins, kb, now)


def _store(
    session: Session,
    user: User,
    episodes: list[Any],
    checkins: list[Any],
    kb: KnowledgeBase,
    now: datetime,
) -> dict[str, int]:
    vocabulary = diary_vocabulary(kb)
    counts = {"episodes": 0, "checkins_created": 0, "checkins_replaced": 0}
    for number, episode in enumerate(episodes, start=1):
        try:
            records.add_episode(session, user, episode, vocabulary, now)
        except DiaryInputError as error:  # e.g. a start in the future
            raise _in_row(error, "episodes", number) from None
        counts["episodes"] += 1
    for number, checkin in enumerate(checkins, start=1):
        try:
            _, created = records.save_checkin(session, user, checkin, vocabulary, kb, now)
        except DiaryInputError as error:
            raise _in_row(error, "checkins", number) from None
        counts["checkins_created" if created else "checkins_replaced"] += 1
    return counts


def _in_row(error: DiaryInputError, kind: str, number: int) -> Exception:
    return DiaryImportError([f"{kind} entry {number}: {error.message}"])
