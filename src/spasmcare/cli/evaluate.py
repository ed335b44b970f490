"""`spasmcare eval`: score the engine on benchmark files (shared/spec/evaluation.md)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Score SpasmCare on benchmark files.", no_args_is_help=True)


class ModeOption(StrEnum):
    full = "full"
    interview = "interview"
    narrative = "narrative"


@app.command("vignettes")
def vignettes(
    path: Annotated[Path, typer.Argument(help="A YAML file of clinical vignettes.")],
    mode: Annotated[
        ModeOption, typer.Option("--mode", help="How the engine receives each case.")
    ] = ModeOption.full,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the JSON object of evaluation.md.")
    ] = False,
) -> None:
    """Triage and cause accuracy on clinical vignettes. Exits 0 whatever the scores."""
    from spasmcare.engine import DEFAULT_PARAMS
    from spasmcare.evaluation.datasets import load_vignettes
    from spasmcare.evaluation.report import vignette_report, vignette_table
    from spasmcare.evaluation.runner import run_vignettes
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    outcomes = run_vignettes(load_vignettes(path, kb), mode.value, kb, DEFAULT_PARAMS)
    report = vignette_report(mode.value, outcomes)
    if json_output:
        typer.echo(json.dumps(report))
        return
    summary, misses = vignette_table(report, outcomes)
    console = Console()
    console.print(summary)
    if misses is not None:
        console.print(misses)


@app.command("questions")
def questions(
    path: Annotated[
        Path, typer.Argument(help="A YAML file of questions with must_mention patterns.")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the JSON object of evaluation.md.")
    ] = False,
) -> None:
    """Fact recall, citations and warning-sign detection of Ask. Exits 0 whatever the scores."""
    from rich.table import Table

    from spasmcare.evaluation.datasets import load_questions
    from spasmcare.evaluation.questions import question_report, run_questions
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    report = question_report(run_questions(load_questions(path), kb))
    if json_output:
        typer.echo(json.dumps(report))
        return
    table = Table(title=f"Questions: {report['n']}", show_header=False)
    for key in ("fact_recall", "cited_rate", "red_flag_recall", "red_flag_false_alarm_rate"):
        value = report[key]
        table.add_row(key.replace("_", " "), "-" if value is None else f"{value:.1%}")
    console = Console()
    console.print(table)
    for case in report["cases"]:
        if case["missing"]:
            console.print(
                f"[yellow]{case['id']}[/] missing: {', '.join(case['missing'])}", highlight=False
            )
