"""`spasmcare plan` in every format, and remembering the last assessment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from spasmcare.cli import app

runner = CliRunner()
STRAIN = json.dumps(
    {
        "age": 34,
        "sex": "male",
        "pain_lower_back": True,
        "trigger_lifting": True,
        "onset_sudden": True,
    }
)


def test_plan_needs_an_assessment_first() -> None:
    # Through the real entry point, which turns errors into messages and exit codes.
    result = subprocess.run(
        [sys.executable, "-m", "spasmcare", "plan"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "no assessment yet" in result.stderr and "spasmcare assess" in result.stderr


def test_assess_then_plan_uses_the_last_assessment() -> None:
    assert runner.invoke(app, ["assess", "--findings", STRAIN]).exit_code == 0
    result = runner.invoke(app, ["plan", "--format", "json"])
    assert result.exit_code == 0, result.output
    care = json.loads(result.output)
    assert care["condition"] == "muscle_strain"
    assert {phase["id"] for phase in care["phases"]} >= {"now", "this_week"}


def test_plan_formats(tmp_path: Path) -> None:
    text = runner.invoke(app, ["plan", "--findings", STRAIN])
    assert text.exit_code == 0 and "Get help at once if you notice" in text.output
    html = runner.invoke(app, ["plan", "--findings", STRAIN, "--format", "html"])
    assert html.exit_code == 0 and html.output.lstrip().startswith("<!doctype html>")
    pdf = tmp_path / "plan.pdf"
    assert (
        runner.invoke(
            app, ["plan", "--findings", STRAIN, "--format", "pdf", "-o", str(pdf)]
        ).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    ics = tmp_path / "plan.ics"
    result = runner.invoke(
        app, ["plan", "-f", STRAIN, "--format", "ics", "-o", str(ics), "--start", "2026-12-01"]
    )
    assert result.exit_code == 0
    assert list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))


def test_bad_start_date_is_a_clear_error() -> None:
    result = runner.invoke(
        app, ["plan", "--findings", STRAIN, "--format", "ics", "--start", "tomorrow"]
    )
    assert result.exit_code == 2
    assert "is not a date like 2026-12-01" in result.output
