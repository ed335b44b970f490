"""`spasmcare assess`: one assessment from findings."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from spasmcare.errors import NotAvailableError


def assess(
    findings: Annotated[
        str | None,
        typer.Option(
            "--findings",
            "-f",
            help="Findings (spec codes): a JSON/YAML file, '-' for standard input, or inline JSON.",
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the Assessment as JSON.")
    ] = False,
) -> None:
    """Assess a back spasm: how urgently to get care, and the likely causes with reasons."""
    from spasmcare import assess as run
    from spasmcare.cli.inputs import read_findings
    from spasmcare.cli.render import assessment_view
    from spasmcare.knowledge.loader import default_knowledge

    if findings is None:
        raise NotAvailableError(
            "the interactive interview is not available yet; pass --findings FILE_OR_JSON"
        )
    result = run(read_findings(findings))
    if json_output:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        Console().print(assessment_view(result, default_knowledge()))
