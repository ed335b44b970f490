"""`spasmcare kb`: check and browse the knowledge base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from spasmcare.ask.library import Article
    from spasmcare.knowledge.base import KnowledgeBase

app = typer.Typer(help="Check and browse the clinical knowledge base.", no_args_is_help=True)


@app.command("check")
def check(
    spec: Annotated[
        Path | None,
        typer.Option(
            "--spec",
            help="Also check against the public contract in this spec folder (shared/spec).",
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Validate every knowledge file (schema, cross-references, safety invariants) and check
    that every condition can be ranked first. Exits 3 on any problem."""
    from spasmcare.engine.reachability import unreachable_conditions
    from spasmcare.knowledge.checks import spec_problems
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()  # raises KnowledgeBaseError (exit 3) listing schema problems
    problems = unreachable_conditions(kb) + _companion_problems(kb)
    if spec is not None:
        problems += spec_problems(kb, spec)
    summary = {
        "version": kb.version,
        "findings": len(kb.findings),
        "conditions": len(kb.conditions),
        "red_flag_rules": len(kb.rules),
        "sources": len(kb.sources),
        "articles": _count_articles(kb),
        "problems": problems,
    }
    if json_output:
        typer.echo(json.dumps(summary, indent=2))
    else:
        console = Console()
        table = Table(title=f"Knowledge base {kb.version}", show_header=False)
        for key in ("findings", "conditions", "red_flag_rules", "sources", "articles"):
            table.add_row(key.replace("_", " "), str(summary[key]))
        console.print(table)
        for problem in problems:
            console.print(f"[red]problem:[/] {problem}")
        if not problems:
            console.print("[green]All checks passed.[/]")
    if problems:
        raise typer.Exit(3)


@app.command("findings")
def findings(json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the finding codes the engine accepts, with their type and question."""
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    rows = [
        {
            "code": f.code,
            "group": f.group,
            "type": f.type,
            "allowed": _allowed(f.type, f.minimum, f.maximum, [o.value for o in f.options]),
            "question": f.question,
        }
        for f in kb.findings.values()
    ]
    _show(rows, "Findings", ("code", "type", "allowed", "question"), json_output)


@app.command("conditions")
def conditions(json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the conditions SpasmCare ranks, with their usual disposition."""
    from spasmcare.knowledge.loader import default_knowledge

    kb = default_knowledge()
    rows = [
        {
            "code": c.code,
            "name": c.name,
            "default_triage": c.default_triage.value,
            "summary": c.summary,
        }
        for c in kb.conditions.values()
    ]
    _show(rows, "Conditions", ("code", "name", "default_triage"), json_output)


def _show(
    rows: list[dict[str, str]], title: str, columns: tuple[str, ...], json_output: bool
) -> None:
    if json_output:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(row[column] for column in columns))
    Console().print(table)


def _allowed(kind: str, low: float | None, high: float | None, options: list[str]) -> str:
    if kind == "bool":
        return "true | false"
    if kind == "number":
        return f"{low:g} to {high:g}"
    return " | ".join(options)


def _companion_problems(kb: KnowledgeBase) -> list[str]:
    """The files loaded beside the knowledge base: articles, the free-text language, the
    diary vocabulary and the static emergency page. Each is checked as it would be used."""
    from spasmcare.ask.library import load_articles
    from spasmcare.ask.screens import load_screens
    from spasmcare.diary.vocabulary import diary_vocabulary
    from spasmcare.errors import KnowledgeBaseError
    from spasmcare.narrative.language import load_language
    from spasmcare.web.fallback import fallback_html, shipped_fallback

    problems: list[str] = []
    for load in (load_articles, load_screens, load_language, diary_vocabulary):
        try:
            load(kb)
        except KnowledgeBaseError as error:
            problems += list(error.problems)
    missing = [
        condition
        for condition in kb.conditions
        if condition.replace("_", "-") not in {a.id for a in _articles_or_empty(kb)}
    ]
    problems += [f"articles: no article for condition '{code}'" for code in missing]
    if shipped_fallback() != fallback_html(kb):
        problems.append(
            "web/static/emergency-fallback.html is out of date: "
            "run python -m spasmcare.web.fallback"
        )
    return problems


def _articles_or_empty(kb: KnowledgeBase) -> tuple[Article, ...]:
    from spasmcare.ask.library import load_articles
    from spasmcare.errors import KnowledgeBaseError

    try:
        return load_articles(kb)
    except KnowledgeBaseError:
        return ()


def _count_articles(kb: KnowledgeBase) -> int:
    return len(_articles_or_empty(kb))
