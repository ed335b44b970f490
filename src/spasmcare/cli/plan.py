"""`spasmcare plan`: the care plan for the last assessment, in the terminal or as a file."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


class PlanFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"
    ics = "ics"


def plan(
    findings: Annotated[
        str | None,
        typer.Option(
            "--findings",
            "-f",
            help="Findings as a JSON/YAML file, '-' or inline JSON "
            "(default: the last `spasmcare assess`).",
        ),
    ] = None,
    output_format: Annotated[
        PlanFormat, typer.Option("--format", help="How to give the plan.")
    ] = PlanFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default for pdf/ics: ./spasmcare-plan.*)."
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="First day of calendar reminders, YYYY-MM-DD (default: tomorrow)."
        ),
    ] = None,
) -> None:
    """Your care plan: what to do now, this week and from now on, with safe medicines and
    the warning signs to watch for."""
    from spasmcare import assess
    from spasmcare.cli import last_assessment
    from spasmcare.cli.inputs import read_findings
    from spasmcare.cli.render import careplan_view
    from spasmcare.engine.careplan import plan as build_plan
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    given = read_findings(findings) if findings is not None else last_assessment.load()
    care = build_plan(assess(given, kb), kb)
    today = date.today()
    stamp = today.isoformat()
    if output_format is PlanFormat.text:
        Console().print(careplan_view(care, kb))
        return
    if output_format is PlanFormat.json:
        content: bytes = json.dumps(care.to_dict(), indent=2).encode()
    elif output_format is PlanFormat.html:
        from spasmcare.reports.html import careplan_html

        content = careplan_html(care, kb, stamp).encode()
    elif output_format is PlanFormat.pdf:
        from spasmcare.reports.pdf import careplan_pdf

        content = careplan_pdf(care, kb, stamp)
    else:
        from spasmcare.reports.calendar import careplan_calendar

        first = _parse_start(start) if start else today + timedelta(days=1)
        content = careplan_calendar(care, first, datetime.now().astimezone())
    target = output
    if target is None and output_format in (PlanFormat.pdf, PlanFormat.ics):
        target = Path(f"spasmcare-plan.{output_format.value}")
    if target is None:
        typer.echo(content.decode())
        return
    target.write_bytes(content)
    typer.echo(f"Wrote {target}")


def _parse_start(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date like 2026-12-01", param_hint="--start"
        ) from None
