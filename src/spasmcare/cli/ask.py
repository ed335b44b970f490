"""`spasmcare ask`: a question in plain words, answered from SpasmCare's articles."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel


def ask(
    question: Annotated[str, typer.Argument(help="Your question, in your own words.")],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the answer as JSON (evaluation.md).")
    ] = False,
) -> None:
    """Ask about back spasms; the answer is quoted from SpasmCare's articles, with sources."""
    from spasmcare.ask.answer import ask as answer_question
    from spasmcare.knowledge.loader import default_knowledge

    if not question.strip():
        raise typer.BadParameter("the question is empty", param_hint="QUESTION")
    kb = default_knowledge()
    answer = answer_question(question, kb)
    if json_output:
        typer.echo(json.dumps(answer.to_contract(), indent=2))
        return
    console = Console()
    if answer.triage is not None:
        level = kb.levels[answer.triage]
        console.print(
            Panel(
                level.action,
                title=f"[bold]{level.marker} {level.label}[/]",
                border_style=level.colour,
            )
        )
    console.print(answer.answer)
    for citation in answer.citations:
        console.print(
            f"[dim]• {citation.title} ({citation.id}) — sources: {citation.source}[/]",
            highlight=False,
        )
    console.print(f"[italic]{kb.notice}[/]")
