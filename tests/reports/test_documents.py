"""The care plan as PDF (rendered to PNG), iCalendar (parsed back) and HTML."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from spasmcare.domain.careplan import CarePlan
from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.reports.calendar import careplan_calendar
from spasmcare.reports.html import careplan_html
from spasmcare.reports.pdf import careplan_pdf
from tests.conftest import absent_bools, require_tool

STRAIN = {
    "age": 35,
    "sex": "male",
    "pain_lower_back": True,
    "onset_sudden": True,
    "trigger_lifting": True,
    "trigger_prolonged_posture": True,
    "pain_cramping": True,
    "worse_with_movement": True,
    "severity": 5,
    "duration_days": 1,
}
FRACTURE = {
    "age": 78,
    "sex": "female",
    "history_osteoporosis": True,
    "onset_sudden": True,
    "pain_mid_back": True,
    "spine_point_tenderness": True,
}


def care_for(kb: KnowledgeBase, findings: dict[str, object]) -> CarePlan:
    return plan(assess(absent_bools(kb) | findings, kb), kb)


@pytest.mark.parametrize("findings", [STRAIN, FRACTURE], ids=["self-care", "urgent"])
def test_pdf_is_one_page_and_renders(
    kb: KnowledgeBase, tmp_path: Path, findings: dict[str, object]
) -> None:
    pdftoppm = require_tool("pdftoppm")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(careplan_pdf(care_for(kb, findings), kb, "2026-11-21"))
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run([pdftoppm, "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1, "the plan must fit on one printed page"
    assert pages[0].stat().st_size > 5_000  # a page with content, not a blank image


def test_calendar_parses_with_six_weeks_of_reminders(kb: KnowledgeBase) -> None:
    care = care_for(kb, STRAIN)
    raw = careplan_calendar(care, date(2026, 12, 1), datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    calendar = Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    exercise = [e for e in events if "exercises" in str(e["SUMMARY"])]
    assert [e["RRULE"]["COUNT"][0] for e in exercise] == [7, 35]  # week 1, then weeks 2 to 6
    assert exercise[0].decoded("DTSTART") == datetime(2026, 12, 1, 8, 0)
    assert any("Posture break" in s for s in summaries)  # desk habits were highlighted
    review = next(e for e in events if "clearly better" in str(e["SUMMARY"]))
    assert review.decoded("DTSTART").date() == date(2026, 12, 1) + __import__("datetime").timedelta(
        days=care.review_after_days or 0
    )
    assert all(e.walk("VALARM") for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_calendar_has_no_exercise_reminders_when_care_is_needed_now(kb: KnowledgeBase) -> None:
    raw = careplan_calendar(
        care_for(kb, FRACTURE), date(2026, 12, 1), datetime(2026, 11, 21, tzinfo=UTC)
    )
    assert not list(Calendar.from_ical(raw).walk("VEVENT"))


def test_html_is_standalone_escaped_and_leads_with_the_triage(kb: KnowledgeBase) -> None:
    care = care_for(kb, STRAIN)
    page = careplan_html(care, kb, "2026-11-21")
    assert page.index(kb.levels[care.triage].label) < page.index(care.phases[0].title)
    assert not re.search(r"""(?:src|href)=["']?https?://""", page), "no resource from another host"
    assert "<script src" not in page
    assert "Get help at once if you notice" in page
