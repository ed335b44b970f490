"""Diary records for tests, with sensible defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from spasmcare.diary.records import CheckIn, Episode, RemedyUse


def episode(
    day: date,
    intensity: int = 5,
    *,
    triggers: tuple[str, ...] = (),
    remedies: tuple[RemedyUse, ...] = (),
    notes: str | None = None,
    ident: str = "",
) -> Episode:
    return Episode(
        id=ident or f"e-{day.isoformat()}-{intensity}",
        started_at=datetime.combine(day, time(9), tzinfo=UTC),
        timezone="UTC",
        local_date=day,
        duration_minutes=30,
        locations=("mid",),
        intensity=intensity,
        triggers=triggers,
        trigger_note=None,
        remedies=remedies,
        notes=notes,
    )


def checkin(
    day: date,
    pain: int | None = 3,
    *,
    worst: int | None = None,
    warning_signs: tuple[str, ...] = (),
    note: str | None = None,
    medicines: tuple[str, ...] = (),
    **values: float | None,
) -> CheckIn:
    return CheckIn(
        id=f"c-{day.isoformat()}",
        local_date=day,
        timezone="UTC",
        recorded_at=datetime.combine(day, time(21), tzinfo=UTC),
        pain_average=pain,
        pain_worst=worst if worst is not None else pain,
        sleep_hours=values.get("sleep_hours"),
        sleep_quality=None,
        water_litres=values.get("water_litres"),
        sitting_hours=values.get("sitting_hours"),
        exercise_minutes=None,
        stress=None,
        medicines=medicines,
        exercises_done=(),
        warning_signs=warning_signs,
        note=note,
    )
