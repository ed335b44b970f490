"""Diary export and import as CSV (one file per kind) and JSON (everything).

CSV lists are separated by ";" and remedies are written "remedy:relief" ("heat:6;ice").
Import reads every row, checks it like any other entry and reports every bad row by its
line number; if any row is bad, nothing is imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from spasmcare.diary.inputs import (
    CheckInInput,
    EpisodeInput,
    check_checkin,
    check_episode,
    parse_model,
)
from spasmcare.diary.records import CheckIn, Episode, zone
from spasmcare.diary.vocabulary import DiaryVocabulary
from spasmcare.errors import DiaryImportError, DiaryInputError
from spasmcare.knowledge.base import KnowledgeBase

Kind = Literal["episodes", "checkins"]
EPISODE_COLUMNS = (
    "started_at", "timezone", "duration_minutes", "locations", "intensity", "triggers",
    "trigger_note", "remedies", "notes",
)  # fmt: skip
CHECKIN_COLUMNS = (
    "local_date", "timezone", "pain_average", "pain_worst", "sleep_hours", "sleep_quality",
    "water_litres", "sitting_hours", "exercise_minutes", "stress", "medicines",
    "exercises_done", "warning_signs", "note",
)  # fmt: skip
_LISTS = frozenset({"locations", "triggers", "medicines", "exercises_done", "warning_signs"})
MAX_ROWS = 20_000


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ";".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def diary_csv(episodes: Sequence[Episode], checkins: Sequence[CheckIn], kind: Kind) -> str:
    """One kind of entry as CSV."""
    return episodes_csv(episodes) if kind == "episodes" else checkins_csv(checkins)


def episodes_csv(episodes: Sequence[Episode]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EPISODE_COLUMNS)
    for e in episodes:
        remedies = ";".join(
            r.remedy if r.relief is None else f"{r.remedy}:{r.relief}" for r in e.remedies
        )
        local = e.started_at.astimezone(zone(e.timezone)).isoformat()
        row = (local, e.timezone, e.duration_minutes, e.locations, e.intensity, e.triggers)
        writer.writerow([*map(_cell, row), _cell(e.trigger_note), remedies, _cell(e.notes)])
    return out.getvalue()


def checkins_csv(checkins: Sequence[CheckIn]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHECKIN_COLUMNS)
    for c in checkins:
        writer.writerow([_cell(getattr(c, column)) for column in CHECKIN_COLUMNS])
    return out.getvalue()


def _row_values(row: dict[str, str], columns: Sequence[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in columns:
        text = (row.get(column) or "").strip()
        if column in _LISTS:
            values[column] = [part.strip() for part in text.split(";") if part.strip()]
        elif column == "remedies":
            values[column] = [_remedy(part) for part in text.split(";") if part.strip()]
        elif text:
            values[column] = text
    return values


def _remedy(text: str) -> dict[str, Any]:
    name, _, relief = text.strip().partition(":")
    return {"remedy": name.strip(), "relief": relief.strip() or None}


def read_csv(
    text: str, kind: Kind, vocabulary: DiaryVocabulary, kb: KnowledgeBase
) -> list[EpisodeInput] | list[CheckInInput]:
    """Every row checked; DiaryImportError lists each bad row by line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        return _read_rows(reader, kind, vocabulary, kb)
    except csv.Error as error:  # broken quoting: the file is not CSV from that line on
        raise DiaryImportError([f"line {reader.line_num}: not valid CSV ({error})"]) from None


def _read_rows(
    reader: csv.DictReader[str], kind: Kind, vocabulary: DiaryVocabulary, kb: KnowledgeBase
) -> list[EpisodeInput] | list[CheckInInput]:
    columns = EPISODE_COLUMNS if kind == "episodes" else CHECKIN_COLUMNS
    header = reader.fieldnames or []
    missing = [c for c in columns if c not in header and c not in _OPTIONAL[kind]]
    unknown = [c for c in header if c not in columns]
    if missing or unknown:
        header_problems = [f"line 1: missing column '{c}'" for c in missing]
        header_problems += [
            f"line 1: unknown column '{c}' (columns: {', '.join(columns)})" for c in unknown
        ]
        raise DiaryImportError(header_problems)
    problems: list[str] = []
    entries: list[Any] = []
    seen_days: dict[date, int] = {}
    for row in reader:
        line = reader.line_num
        if len(entries) + len(problems) >= MAX_ROWS:
            raise DiaryImportError([f"the file has more than {MAX_ROWS} rows; split it"])
        if None in row:  # more cells than columns
            problems.append(f"line {line}: more values than columns")
            continue
        try:
            entry = _checked(_row_values(row, columns), kind, vocabulary, kb)
        except DiaryInputError as error:
            problems.append(f"line {line}: {error.message}")
            continue
        if isinstance(entry, CheckInInput):
            if entry.local_date in seen_days:
                problems.append(
                    f"line {line}: local_date: {entry.local_date} is already on line "
                    f"{seen_days[entry.local_date]}"
                )
                continue
            seen_days[entry.local_date] = line
        entries.append(entry)
    if problems:
        raise DiaryImportError(problems)
    return entries


_OPTIONAL: dict[str, frozenset[str]] = {
    "episodes": frozenset(
        {"timezone", "duration_minutes", "triggers", "trigger_note", "remedies", "notes"}
    ),
    "checkins": frozenset(CHECKIN_COLUMNS) - {"local_date"},
}


def _checked(
    values: dict[str, Any], kind: Kind, vocabulary: DiaryVocabulary, kb: KnowledgeBase
) -> EpisodeInput | CheckInInput:
    if kind == "episodes":
        return check_episode(parse_model(EpisodeInput, values), vocabulary)
    return check_checkin(parse_model(CheckInInput, values), vocabulary, kb)


def diary_json(episodes: Sequence[Episode], checkins: Sequence[CheckIn]) -> dict[str, Any]:
    """Everything in the diary, in the same shape the JSON import reads."""
    return {
        "format": "spasmcare-diary/1",
        "episodes": [
            {
                "started_at": e.started_at.astimezone(zone(e.timezone)).isoformat(),
                "timezone": e.timezone,
                "duration_minutes": e.duration_minutes,
                "locations": list(e.locations),
                "intensity": e.intensity,
                "triggers": list(e.triggers),
                "trigger_note": e.trigger_note,
                "remedies": [{"remedy": r.remedy, "relief": r.relief} for r in e.remedies],
                "notes": e.notes,
            }
            for e in episodes
        ],
        "checkins": [
            {
                column: (list(v) if isinstance(v := getattr(c, column), tuple) else v)
                for column in CHECKIN_COLUMNS
            }
            | {"local_date": c.local_date.isoformat()}
            for c in checkins
        ],
    }


def read_json(
    data: object, vocabulary: DiaryVocabulary, kb: KnowledgeBase
) -> tuple[list[EpisodeInput], list[CheckInInput]]:
    """A diary JSON export, every entry checked; bad entries listed by their position."""
    if not isinstance(data, dict) or data.get("format") != "spasmcare-diary/1":
        raise DiaryImportError(['the file is not a SpasmCare diary export ("format" is missing)'])
    problems: list[str] = []
    episodes: list[EpisodeInput] = []
    checkins: list[CheckInInput] = []
    seen_days: set[date] = set()
    for kind in ("episodes", "checkins"):
        items = data.get(kind, [])
        if not isinstance(items, list):
            problems.append(f"{kind}: must be a list")
            continue
        for number, item in enumerate(items, start=1):
            try:
                if not isinstance(item, dict):
                    raise DiaryInputError("entry", "must be an object")
                entry = _checked(item, kind, vocabulary, kb)
            except DiaryInputError as error:
                problems.append(f"{kind}[{number}]: {error.message}")
                continue
            if isinstance(entry, CheckInInput):
                if entry.local_date in seen_days:
                    problems.append(
                        f"{kind}[{number}]: local_date {entry.local_date} is given twice"
                    )
                    continue
                seen_days.add(entry.local_date)
                checkins.append(entry)
            else:
                episodes.append(entry)
    if problems:
        raise DiaryImportError(problems)
    return episodes, checkins
