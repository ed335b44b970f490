"""The diary from the terminal, as one local person on the default SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from spasmcare.cli import app
from spasmcare.storage.database import dispose_engines

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _shell(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, so its exit status and error message are what a person sees."""
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", *args], capture_output=True, text=True, check=False
    )


def test_log_checkin_insights_report_export_import(private_data_dir: Path, tmp_path: Path) -> None:
    try:
        assert "strength 6/10" in _run(
            "log", "-i", "6", "-w", "mid", "--trigger", "trigger_stress", "--tried", "heat:7",
            "--at", "2026-03-29 08:30", "--tz", "Europe/London",
        )  # fmt: skip
        assert "saved" in _run(
            "checkin", "--pain", "4", "--worst", "6", "--sleep", "6.5", "--date", "2026-03-29",
            "--tz", "Europe/London",
        )  # fmt: skip
        assert "replaced" in _run(
            "checkin", "--pain", "3", "--date", "2026-03-29", "--tz", "Europe/London"
        )
        assert (private_data_dir / "spasmcare.db").exists()  # the embedded default, no login
        data = json.loads(_run("insights", "--json"))
        assert data["triggers"][0]["trigger"] == "trigger_stress"
        assert data["what_helps"][0]["remedy"] == "heat"
        report = tmp_path / "report.pdf"
        _run("report", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(report))
        assert report.read_bytes().startswith(b"%PDF")
        exported = tmp_path / "diary.json"
        _run("diary", "export", "-o", str(exported))
        assert json.loads(exported.read_text())["episodes"][0]["intensity"] == 6
        checkins = tmp_path / "checkins.csv"
        _run("diary", "export", "--format", "csv", "--kind", "checkins", "-o", str(checkins))
        assert checkins.read_text().splitlines()[1].startswith("2026-03-29,Europe/London,3,")
    finally:
        dispose_engines()


def test_bad_input_is_refused_with_the_reason(private_data_dir: Path, tmp_path: Path) -> None:
    try:
        wrong_place = _shell("log", "-i", "5", "-w", "belly")
        assert wrong_place.returncode == 2
        assert "locations: unknown value(s) belly" in wrong_place.stderr
        bad = tmp_path / "bad.csv"
        bad.write_text("local_date,pain_average\n2026-01-01,3\n2026-01-02,12\n")
        refused = _shell("diary", "import", str(bad), "--kind", "checkins")
        assert refused.returncode == 2
        assert "line 3: pain_average" in refused.stderr
        data = json.loads(_run("insights", "--json"))
        assert data["streaks"]["longest"] == 0  # nothing from the bad file was stored
        good = tmp_path / "good.csv"
        good.write_text("local_date,pain_average\n2026-01-01,3\n2026-01-02,2\n")
        assert "2 added" in _run("diary", "import", str(good), "--kind", "checkins")
    finally:
        dispose_engines()
