"""The interview in a real terminal (a pseudo-terminal driven by pexpect)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from spasmcare.knowledge.loader import default_knowledge

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
QUESTION = r"done · [^\r\n]*\r\n(.+?)\r\n.*?> "
FINDINGS = default_knowledge().findings.values()
BY_TEXT = {f.question: f.code for f in FINDINGS}
ABOUT_SOMEONE_ELSE = {f.question_someone_else: f.code for f in FINDINGS}
STRAIN = {
    "age": "34",
    "sex": "2",
    "pain_lower_back": "y",
    "trigger_lifting": "y",
    "onset_sudden": "y",
    "duration_days": "1",
    "severity": "6",
    "worse_with_movement": "y",
}


def spawn(*options: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", "assess", *options],
        encoding="utf-8",
        timeout=30,
        env=env,
        dimensions=(60, 200),
    )


def current_code(child: pexpect.spawn) -> str:
    return BY_TEXT[ANSI.sub("", child.match.group(1)).strip()]


def test_a_whole_interview_ends_with_the_triage_first() -> None:
    child = spawn()
    asked = []
    while child.expect([QUESTION, r"care plan now\? \[Y/n\] > "]) == 0:
        code = current_code(child)
        asked.append(code)
        child.sendline(STRAIN.get(code, "n"))
    result = ANSI.sub("", child.before)
    child.sendline("y")  # yes to the care plan: then the medicine-safety questions
    medicine_questions = 0
    while child.expect([r"\[d\]on't know  > ", pexpect.EOF]) == 0:
        medicine_questions += 1
        child.sendline("n")
    plan = ANSI.sub("", child.before)
    child.close()
    assert child.exitstatus == 0
    assert asked[:3] == ["age", "sex", "pain_lower_back"]
    assert f"SpasmCare asked {len(asked)} questions" in result
    assert result.index("LOOK AFTER IT AT HOME") < result.index("Most likely causes")
    assert "Back muscle strain" in result
    assert medicine_questions == 7
    assert "Your care plan" in plan and "suits you" in plan
    assert "Get help at once if you notice" in plan


def test_checking_for_someone_else_asks_about_them() -> None:
    child = spawn("--someone-else", "--text", "My daughter is 15 and her mid back hurts.")
    asked = []
    while child.expect([QUESTION, r"care plan now\? \[Y/n\] > "]) == 0:
        asked.append(ABOUT_SOMEONE_ELSE[ANSI.sub("", child.match.group(1)).strip()])
        child.sendline("n" if default_knowledge().findings[asked[-1]].type == "bool" else "d")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "age" not in asked and "sex" not in asked  # read from the story: 15, female
    assert "pain_mid_back" not in asked


def test_why_back_dont_know_and_bad_input() -> None:
    child = spawn()
    child.expect(QUESTION)
    child.sendline("forty")  # not a number
    child.expect("Please type a number")
    child.sendline("?")
    child.expect("certain ages")  # the why-we-ask text for age
    child.sendline("40")
    child.expect(QUESTION)
    assert current_code(child) == "sex"
    child.sendline("b")
    child.expect("Going back")
    child.expect(QUESTION)
    assert current_code(child) == "age"
    child.sendline("d")  # don't know
    child.expect(QUESTION)
    assert current_code(child) == "sex"
    child.sendintr()
    child.expect(pexpect.EOF)
    output = ANSI.sub("", child.before)
    child.close()
    assert "Interview stopped. Nothing was saved." in output
    assert "Traceback" not in output
    assert child.exitstatus == 130


@pytest.mark.parametrize("ending", ["eof", "interrupt"])
def test_stopping_never_shows_a_traceback(ending: str) -> None:
    child = spawn()
    child.expect(QUESTION)
    if ending == "eof":
        child.sendeof()
    else:
        child.sendintr()
    child.expect(pexpect.EOF)
    output = ANSI.sub("", child.before)
    child.close()
    assert "Traceback" not in output and child.exitstatus == 130


def test_answers_file_replays_without_a_terminal(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spasmcare.cli import app

    answers = tmp_path / "answers.yaml"
    answers.write_text("age: 40\nsex: female\npain_lower_back: true\nsaddle_numbness: true\n")
    result = CliRunner().invoke(app, ["assess", "--answers", str(answers), "--json"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert data["triage"] == "emergency"
    assert data["interview"]["asked"][:3] == ["age", "sex", "pain_lower_back"]


def test_saying_pregnant_before_the_plan_brings_the_maternity_questions() -> None:
    child = spawn()
    woman = {**STRAIN, "sex": "1"}
    while child.expect([QUESTION, r"care plan now\? \[Y/n\] > "]) == 0:
        child.sendline(woman.get(current_code(child), "n"))
    child.sendline("y")
    while child.expect([r"\[d\]on't know  > ", QUESTION]) == 0:
        child.sendline("y" if "pregnant" in ANSI.sub("", child.before) else "n")
    assert current_code(child) in {
        "pregnancy_tightenings",
        "vaginal_bleeding",
        "waters_leaking",
        "baby_moving_less",
    }
    child.close()
