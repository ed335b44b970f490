"""`spasmcare assess`: the interview in the terminal, or one assessment from findings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text


def assess(
    findings: Annotated[
        str | None,
        typer.Option(
            "--findings",
            "-f",
            help="Skip the interview: findings (spec codes) as JSON/YAML file, '-' or inline JSON.",
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Replay an interview from a JSON/YAML file of answers (code: answer; "
            'a missing code or null is answered "don\'t know").',
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            "-t",
            help="Your story in your own words. In a terminal the interview then asks only "
            "what is still missing; with --json (or no terminal) the story is assessed as is.",
        ),
    ] = None,
    someone_else: Annotated[
        bool,
        typer.Option(
            "--someone-else",
            help="Checking for someone else (a child, a parent): the questions ask about them, "
            "and --text reads their age and sex, not yours.",
        ),
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the Assessment as JSON.")
    ] = False,
) -> None:
    """Assess a back spasm: how urgently to get care, and the likely causes with reasons.

    With no options, SpasmCare interviews you in the terminal, one question at a time.
    """
    from spasmcare import assess as run
    from spasmcare.cli import last_assessment
    from spasmcare.cli.inputs import read_findings
    from spasmcare.cli.interview import (
        StopInterview,
        ask_medicine_safety,
        interview_in_terminal,
        offer,
    )
    from spasmcare.cli.render import assessment_view, careplan_view
    from spasmcare.engine.careplan import plan
    from spasmcare.engine.interview import Question, reopened, run_interview
    from spasmcare.knowledge.expressions import FindingValue
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.narrative.extract import extract

    kb = default_knowledge()
    console = Console()
    asked: tuple[str, ...] | None = None
    interactive = findings is None and answers is None
    if sum(option is not None for option in (findings, answers, text)) > 1:
        raise typer.BadParameter("give only one of --findings, --answers and --text")
    story: dict[str, FindingValue] = {}
    if text is not None:
        story = dict(extract(text, kb, about_someone_else=someone_else).findings)
        if not json_output:
            said = "; ".join(kb.findings[c].describe(v) for c, v in story.items()) or "nothing yet"
            console.print(Text.assemble(("From your words SpasmCare understood: ", "bold"), said))
        interactive = not json_output and sys.stdin.isatty()
        if not interactive:
            findings = json.dumps(story)
    if findings is not None:
        result = run(read_findings(findings))
    elif answers is not None:
        given = read_findings(str(answers))

        def answer(question: Question) -> object:
            return given.get(question.code)

        outcome = run_interview(answer, kb)
        result, asked = outcome.assessment, outcome.asked
    else:
        try:
            outcome = interview_in_terminal(kb, console, story, someone_else)
        except StopInterview:
            console.print("\nInterview stopped. Nothing was saved.")
            raise typer.Exit(130) from None
        result, asked = outcome.assessment, outcome.asked
    last_assessment.save(dict(result.findings))
    if json_output:
        data = result.to_dict()
        if asked is not None:
            data["interview"] = {"asked": list(asked), "questions": len(asked)}
        typer.echo(json.dumps(data, indent=2))
        return
    if asked is not None:
        console.print(f"\n[dim]SpasmCare asked {len(asked)} questions.[/]")
    console.print(assessment_view(result, kb))
    if not interactive:
        console.print(
            "[dim]Your care plan: spasmcare plan (or --format pdf / ics / html / json).[/]"
        )
        return
    try:
        if offer(console, "Would you like your care plan now?"):
            findings_so_far = ask_medicine_safety(kb, console, result, someone_else)
            result = run(findings_so_far)
            if reopened(result):
                # An answer made a warning sign matter (pregnancy: labour, bleeding): ask it.
                result = interview_in_terminal(
                    kb, console, findings_so_far, someone_else
                ).assessment
                console.print(assessment_view(result, kb))
            last_assessment.save(dict(result.findings))
            console.print(careplan_view(plan(result, kb), kb))
            console.print(
                "[dim]Print it or add reminders: spasmcare plan --format pdf, or --format ics.[/]"
            )
    except StopInterview:
        console.print("\nStopped. Your assessment is kept for `spasmcare plan`.")
