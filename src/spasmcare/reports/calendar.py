"""The exercise and break reminders of a care plan as an iCalendar file."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from spasmcare.domain.careplan import CarePlan

_STOP_RULE = "Stop any exercise that brings on sharp or shooting pain."
_BREAK_TIMES = (time(10, 30), time(12, 0), time(15, 0))
_BREAK_HABITS = {"posture", "desk", "phone"}


def careplan_calendar(plan: CarePlan, start: date, created: datetime, weeks: int = 6) -> bytes:
    """Daily exercise reminders and, when the plan has desk or posture habits, weekday
    break reminders, for ``weeks`` weeks from ``start`` (local, floating times)."""
    calendar = Calendar()
    calendar.add("prodid", "-//SpasmCare//Care plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "SpasmCare care plan")
    days = weeks * 7
    if not plan.get_care_now:
        # Week 1 has the gentle exercises; from day 8 the later phases take over.
        stages = (
            ("this_week", ("this_week",), 0, 7),
            ("later", ("weeks_2_6", "long_term"), 7, days - 7),
        )
        for key, phase_ids, offset, count in stages:
            exercises = [
                item
                for phase in plan.phases
                if phase.id in phase_ids
                for item in phase.items
                if item.kind == "exercise"
            ]
            if not exercises or count <= 0:
                continue
            names = "\n".join(f"- {item.title} ({item.dose})" for item in exercises)
            calendar.add_component(
                _event(
                    "Back exercises (SpasmCare)",
                    f"Your exercises today:\n{names}\n{_STOP_RULE}",
                    datetime.combine(start + timedelta(days=offset), time(8, 0)),
                    minutes=15,
                    rule={"freq": "daily", "count": count},
                    created=created,
                    key=f"{plan.condition}-exercise-{key}",
                )
            )
    habits = [item for item in plan.items() if item.kind == "habit" and item.topic in _BREAK_HABITS]
    if habits and not plan.get_care_now:
        for index, at in enumerate(_BREAK_TIMES):
            calendar.add_component(
                _event(
                    "Posture break: stand up, stretch, walk (SpasmCare)",
                    habits[0].detail,
                    datetime.combine(start, at),
                    minutes=5,
                    rule={
                        "freq": "weekly",
                        "byday": ["MO", "TU", "WE", "TH", "FR"],
                        "count": weeks * 5,
                    },
                    created=created,
                    key=f"{plan.condition}-break-{index}",
                )
            )
    if plan.review_after_days:
        calendar.add_component(
            _event(
                "Is your back clearly better? (SpasmCare)",
                plan.review,
                datetime.combine(start + timedelta(days=plan.review_after_days), time(9, 0)),
                minutes=10,
                rule=None,
                created=created,
                key=f"{plan.condition}-review",
            )
        )
    return bytes(calendar.to_ical())


def _event(
    summary: str,
    description: str,
    begins: datetime,
    minutes: int,
    rule: dict[str, object] | None,
    created: datetime,
    key: str,
) -> Event:
    event = Event()
    digest = hashlib.sha256(f"{key}|{begins.isoformat()}".encode()).hexdigest()[:24]
    event.add("uid", f"{digest}@spasmcare")
    event.add("dtstamp", created)
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", begins)
    event.add("dtend", begins + timedelta(minutes=minutes))
    if rule is not None:
        event.add("rrule", rule)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event
