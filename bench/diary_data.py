"""Generated diaries for the diary benchmarks: daily check-ins and episodes, written with
one multi-row INSERT (SQLite) or COPY (PostgreSQL) per table."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

REMEDIES = ["heat", "ice", "stretching", "walking", "ibuprofen", "paracetamol", "massage"]
TRIGGERS = [
    "trigger_lifting",
    "trigger_prolonged_posture",
    "trigger_stress",
    "trigger_awkward_sleep",
]


def checkin_rows(
    user_id: str, days: int, end: date, rng: random.Random
) -> Iterator[dict[str, Any]]:
    for offset in range(days):
        day = end - timedelta(days=days - 1 - offset)
        pain = rng.randint(0, 8)
        yield {
            "id": str(uuid.uuid4()),
            "user_id": user_id,
            "local_date": day,
            "timezone": "Europe/London",
            "recorded_at": datetime.combine(day, time(21), tzinfo=UTC),
            "pain_average": pain,
            "pain_worst": min(10, pain + rng.randint(0, 2)),
            "sleep_hours": round(rng.uniform(4, 9), 1),
            "sleep_quality": rng.randint(0, 10),
            "water_litres": round(rng.uniform(0.5, 3), 1),
            "sitting_hours": round(rng.uniform(2, 11), 1),
            "exercise_minutes": rng.choice([0, 0, 10, 20, 30, 45, 60]),
            "stress": rng.randint(0, 10),
            "medicines": rng.choice([[], [], ["ibuprofen"], ["paracetamol"]]),
            "exercises_done": [],
            "warning_signs": [],
            "note": None,
            "updated_at": datetime.combine(day, time(21), tzinfo=UTC),
        }


def episode_rows(
    user_id: str, count: int, days: int, end: date, rng: random.Random
) -> Iterator[dict[str, Any]]:
    for _ in range(count):
        day = end - timedelta(days=rng.randrange(days))
        started = datetime.combine(day, time(rng.randrange(7, 22), rng.randrange(60)), tzinfo=UTC)
        yield {
            "id": str(uuid.uuid4()),
            "user_id": user_id,
            "started_at": started,
            "timezone": "Europe/London",
            "local_date": day,
            "duration_minutes": rng.choice([10, 30, 60, 120]),
            "locations": [rng.choice(["upper", "mid", "lower"])],
            "intensity": rng.randint(2, 9),
            "triggers": rng.sample(TRIGGERS, rng.randint(0, 2)),
            "trigger_note": None,
            "remedies": [
                {"remedy": r, "relief": rng.randint(0, 10)} for r in rng.sample(REMEDIES, 2)
            ],
            "notes": None,
            "created_at": started,
            "updated_at": started,
        }
