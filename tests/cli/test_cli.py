"""Every command through Typer's CliRunner, including exit codes for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from spasmcare.cli import app

runner = CliRunner()
CONTRACT_KEYS = {
    "n",
    "mode",
    "triage_accuracy",
    "triage3_accuracy",
    "under_triage_rate",
    "over_triage_rate",
    "emergency_sensitivity",
    "top1",
    "top3",
    "questions_mean",
    "questions_median",
    "cases",
}


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "assess" in result.output and "eval" in result.output and "kb" in result.output


def test_kb_check_passes_with_spec(spec_dir: Path) -> None:
    result = runner.invoke(app, ["kb", "check", "--spec", str(spec_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["problems"] == []


def test_eval_vignettes_prints_the_contract(dev_vignettes_path: Path) -> None:
    result = runner.invoke(
        app, ["eval", "vignettes", str(dev_vignettes_path), "--mode", "full", "--json"]
    )
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert set(report) == CONTRACT_KEYS
    assert report["mode"] == "full" and report["n"] == 40
    assert set(report["cases"][0]) == {"id", "triage", "conditions", "questions"}


def test_eval_table_without_json(dev_vignettes_path: Path) -> None:
    result = runner.invoke(app, ["eval", "vignettes", str(dev_vignettes_path)])
    assert result.exit_code == 0
    assert "Emergency sensitivity" in result.output


def test_assess_inline_json() -> None:
    result = runner.invoke(
        app, ["assess", "--findings", '{"age": 40, "saddle_numbness": true}', "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.output)["triage"] == "emergency"


def test_assess_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("age: 30\npain_lower_back: true\nfever: true\n")
    result = runner.invoke(app, ["assess", "-f", str(path)])
    assert result.exit_code == 0
    assert "SEE A DOCTOR TODAY" in result.output


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", *args], capture_output=True, text=True, check=False
    )


def test_bad_finding_exits_2_with_a_clear_message() -> None:
    result = _run_cli("assess", "--findings", '{"sevrity": 4}')
    assert result.returncode == 2
    assert "sevrity: not a known finding code" in result.stderr
    assert "severity" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_findings_argument() -> None:
    result = _run_cli("assess", "--findings", "no-such-file.json")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_missing_vignette_file_exits_2() -> None:
    result = _run_cli("eval", "vignettes", "missing.yaml", "--json")
    assert result.returncode == 2
    assert "missing.yaml: file not found" in result.stderr
