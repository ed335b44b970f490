"""A person's diary in the database: episodes and daily check-ins, read back as records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.orm import Session

from spasmcare.diary.inputs import CheckInInput, EpisodeInput, check_checkin, check_episode
from spasmcare.diary.records import CheckIn, Episode, RemedyUse, local_date_of
from spasmcare.diary.vocabulary import DiaryVocabulary
from spasmcare.errors import DiaryInputError, NotFoundError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.storage.database import forget_after_commit
from spasmcare.storage.tables import AssessmentRecord, CheckInRecord, EpisodeRecord, User

# A clock a little ahead of the server's must not make an entry "in the future".
_CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class Diary:
    episodes: tuple[Episode, ...]
    checkins: tuple[CheckIn, ...]


def set_timezone(user: User, timezone: str | None) -> None:
    """Remember the zone the person's days are counted in (from their browser or entries)."""
    if timezone:
        local_date_of(datetime.now().astimezone(), timezone)  # validates the name
        user.timezone = timezone


def _episode_values(
    data: EpisodeInput, user: User, vocabulary: DiaryVocabulary, now: datetime
) -> dict[str, object]:
    check_episode(data, vocabulary)
    timezone = data.timezone or user.timezone
    if data.started_at > now + _CLOCK_SKEW:
        raise DiaryInputError("started_at", "is in the future")
    return {
        "started_at": data.started_at,
        "timezone": timezone,
        "local_date": local_date_of(data.started_at, timezone),
        "duration_minutes": data.duration_minutes,
        "locations": list(data.locations),
        "intensity": data.intensity,
        "triggers": list(data.triggers),
        "trigger_note": data.trigger_note or None,
        "remedies": [r.model_dump() for r in data.remedies],
        "notes": data.notes or None,
    }


def add_episode(
    session: Session, user: User, data: EpisodeInput, vocabulary: DiaryVocabulary, now: datetime
) -> EpisodeRecord:
    record = EpisodeRecord(
        user_id=user.id,
        created_at=now,
        updated_at=now,
        **_episode_values(data, user, vocabulary, now),
    )
    session.add(record)
    session.flush()
    return record


def get_episode(session: Session, user: User, episode_id: str) -> EpisodeRecord:
    record = session.get(EpisodeRecord, episode_id)
    if record is None or record.user_id != user.id:
        raise NotFoundError("episode")
    return record


def update_episode(
    session: Session,
    user: User,
    episode_id: str,
    data: EpisodeInput,
    vocabulary: DiaryVocabulary,
    now: datetime,
) -> EpisodeRecord:
    record = get_episode(session, user, episode_id)
    for name, value in _episode_values(data, user, vocabulary, now).items():
        setattr(record, name, value)
    record.updated_at = now
    return record


def delete_episode(session: Session, user: User, episode_id: str) -> None:
    session.delete(get_episode(session, user, episode_id))
    forget_after_commit(session)


def _checkin_values(
    data: CheckInInput, user: User, vocabulary: DiaryVocabulary, kb: KnowledgeBase, now: datetime
) -> dict[str, object]:
    check_checkin(data, vocabulary, kb)
    timezone = data.timezone or user.timezone
    if data.local_date > local_date_of(now + _CLOCK_SKEW, timezone):
        raise DiaryInputError("local_date", f"{data.local_date} has not started yet in {timezone}")
    return {
        "local_date": data.local_date,
        "timezone": timezone,
        "recorded_at": now,
        "pain_average": data.pain_average,
        "pain_worst": data.pain_worst,
        "sleep_hours": data.sleep_hours,
        "sleep_quality": data.sleep_quality,
        "water_litres": data.water_litres,
        "sitting_hours": data.sitting_hours,
        "exercise_minutes": data.exercise_minutes,
        "stress": data.stress,
        "medicines": list(data.medicines),
        "exercises_done": list(data.exercises_done),
        "warning_signs": list(data.warning_signs),
        "note": data.note or None,
        "updated_at": now,
    }


def save_checkin(
    session: Session,
    user: User,
    data: CheckInInput,
    vocabulary: DiaryVocabulary,
    kb: KnowledgeBase,
    now: datetime,
) -> tuple[CheckInRecord, bool]:
    """Create the day's check-in, or replace it if that day already has one: a day is one
    local date, whatever zone the person is in when they write it. Returns (record, created)."""
    values = _checkin_values(data, user, vocabulary, kb, now)
    record = find_checkin(session, user, data.local_date)
    if record is None:
        record = CheckInRecord(user_id=user.id, **values)
        session.add(record)
        session.flush()
        return record, True
    for name, value in values.items():
        setattr(record, name, value)
    return record, False


def find_checkin(session: Session, user: User, day: date) -> CheckInRecord | None:
    return session.scalar(
        select(CheckInRecord).where(
            CheckInRecord.user_id == user.id, CheckInRecord.local_date == day
        )
    )


def get_checkin(session: Session, user: User, day: date) -> CheckInRecord:
    record = find_checkin(session, user, day)
    if record is None:
        raise NotFoundError(f"check-in for {day}")
    return record


def delete_checkin(session: Session, user: User, day: date) -> None:
    session.delete(get_checkin(session, user, day))
    forget_after_commit(session)


def episode_records(
    session: Session, user: User, start: date | None = None, end: date | None = None
) -> list[EpisodeRecord]:
    query = select(EpisodeRecord).where(EpisodeRecord.user_id == user.id)
    if start is not None:
        query = query.where(EpisodeRecord.local_date >= start)
    if end is not None:
        query = query.where(EpisodeRecord.local_date <= end)
    return list(session.scalars(query.order_by(EpisodeRecord.started_at.desc())))


def checkin_records(
    session: Session, user: User, start: date | None = None, end: date | None = None
) -> list[CheckInRecord]:
    query = select(CheckInRecord).where(CheckInRecord.user_id == user.id)
    if start is not None:
        query = query.where(CheckInRecord.local_date >= start)
    if end is not None:
        query = query.where(CheckInRecord.local_date <= end)
    return list(session.scalars(query.order_by(CheckInRecord.local_date.desc())))


def to_episode(record: EpisodeRecord | Row[Any]) -> Episode:
    return Episode(
        id=record.id,
        started_at=record.started_at,
        timezone=record.timezone,
        local_date=record.local_date,
        duration_minutes=record.duration_minutes,
        locations=tuple(record.locations),
        intensity=record.intensity,
        triggers=tuple(record.triggers),
        trigger_note=record.trigger_note,
        remedies=tuple(RemedyUse(r["remedy"], r.get("relief")) for r in record.remedies),
        notes=record.notes,
    )


def to_checkin(record: CheckInRecord | Row[Any]) -> CheckIn:
    return CheckIn(
        id=record.id,
        local_date=record.local_date,
        timezone=record.timezone,
        recorded_at=record.recorded_at,
        pain_average=record.pain_average,
        pain_worst=record.pain_worst,
        sleep_hours=record.sleep_hours,
        sleep_quality=record.sleep_quality,
        water_litres=record.water_litres,
        sitting_hours=record.sitting_hours,
        exercise_minutes=record.exercise_minutes,
        stress=record.stress,
        medicines=tuple(record.medicines),
        exercises_done=tuple(record.exercises_done),
        warning_signs=tuple(record.warning_signs),
        note=record.note,
    )


def diary(
    session: Session, user: User, start: date | None = None, end: date | None = None
) -> Diary:
    """The person's records between two local dates (inclusive), oldest first. Read as
    plain rows of the columns the records carry, not ORM objects: years of entries load
    several times faster that way."""
    episodes = EpisodeRecord.__table__
    checkins = CheckInRecord.__table__
    skip = {"user_id", "created_at", "updated_at"}
    episode_query = select(*(c for c in episodes.c if c.name not in skip)).where(
        episodes.c.user_id == user.id
    )
    checkin_query = select(*(c for c in checkins.c if c.name not in skip)).where(
        checkins.c.user_id == user.id
    )
    if start is not None:
        episode_query = episode_query.where(episodes.c.local_date >= start)
        checkin_query = checkin_query.where(checkins.c.local_date >= start)
    if end is not None:
        episode_query = episode_query.where(episodes.c.local_date <= end)
        checkin_query = checkin_query.where(checkins.c.local_date <= end)
    episode_rows = session.execute(episode_query.order_by(episodes.c.started_at))
    checkin_rows = session.execute(checkin_query.order_by(checkins.c.local_date))
    return Diary(
        tuple(to_episode(row) for row in episode_rows),
        tuple(to_checkin(row) for row in checkin_rows),
    )


def latest_assessment(session: Session, user: User) -> AssessmentRecord | None:
    return session.scalar(
        select(AssessmentRecord)
        .where(AssessmentRecord.user_id == user.id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    )


def today_for(user: User, now: datetime) -> date:
    return local_date_of(now, user.timezone)


def missed_checkins(session: Session, user: User, now: datetime, days: int = 6) -> list[date]:
    """The past few days (not today) without a check-in, most recent first, counting only
    days since the account was made: the person can still fill them in."""
    today = today_for(user, now)
    first = max(today - timedelta(days=days), local_date_of(user.created_at, user.timezone))
    done = {record.local_date for record in checkin_records(session, user, first, today)}
    return [
        day
        for day in (today - timedelta(days=back) for back in range(1, days + 1))
        if day >= first and day not in done
    ]


def erase(session: Session, user: User) -> None:
    """Remove every diary entry of the person (their account stays)."""
    session.execute(delete(EpisodeRecord).where(EpisodeRecord.user_id == user.id))
    session.execute(delete(CheckInRecord).where(CheckInRecord.user_id == user.id))
