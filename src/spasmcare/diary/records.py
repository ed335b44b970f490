"""Diary records as the pure modules see them: frozen, validated, time-zone aware.

Time: an episode's start is stored as a UTC instant plus the IANA time zone the person was
in, and the local date it fell on there. A check-in belongs to a local date (the day it
describes) in the zone it was written in. Days are always the person's local days, so a
daylight-saving change or a flight across zones never duplicates, moves or loses a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True, slots=True)
class RemedyUse:
    remedy: str  # an id of diary.yaml `remedies`
    relief: int | None  # 0 (no help) to 10 (pain gone); None: not rated


@dataclass(frozen=True, slots=True)
class Episode:
    id: str
    started_at: datetime  # aware, UTC
    timezone: str  # IANA name, e.g. "Europe/London"
    local_date: date  # the date it started on, where the person was
    duration_minutes: int | None
    locations: tuple[str, ...]  # ids of diary.yaml `locations`
    intensity: int  # 0-10
    triggers: tuple[str, ...]  # finding codes of diary.yaml `triggers`
    trigger_note: str | None
    remedies: tuple[RemedyUse, ...]
    notes: str | None


@dataclass(frozen=True, slots=True)
class CheckIn:
    id: str
    local_date: date  # the day described
    timezone: str
    recorded_at: datetime  # aware, UTC
    pain_average: int | None  # 0-10
    pain_worst: int | None  # 0-10
    sleep_hours: float | None
    sleep_quality: int | None  # 0-10
    water_litres: float | None
    sitting_hours: float | None
    exercise_minutes: int | None
    stress: int | None  # 0-10
    medicines: tuple[str, ...]  # remedy ids of medicines taken
    exercises_done: tuple[str, ...]  # exercise ids of the care plan done that day
    warning_signs: tuple[str, ...]  # finding codes ticked that day
    note: str | None


def zone(name: str) -> ZoneInfo:
    """The IANA time zone, or ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise ValueError(f"'{name}' is not an IANA time zone (like Europe/London)") from None


def local_date_of(instant: datetime, timezone: str) -> date:
    """The calendar date of an aware instant in the given zone."""
    if instant.tzinfo is None:
        raise ValueError("times must include their UTC offset or zone")
    return instant.astimezone(zone(timezone)).date()


def system_zone() -> str:
    """This computer's IANA time zone (TZ, /etc/timezone or /etc/localtime), else UTC."""
    import os
    from pathlib import Path

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text().strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name:
            try:
                return zone(name).key
            except ValueError:
                continue
    return "UTC"
