"""Pure builders of Rich renderables from domain objects; commands do the printing."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spasmcare.domain.assessment import Assessment
from spasmcare.knowledge.base import KnowledgeBase


def triage_panel(assessment: Assessment, kb: KnowledgeBase) -> Panel:
    """The decision first: level in words and colour (and a marker that reads without colour)."""
    level = kb.levels[assessment.triage]
    body = Text()
    body.append(f"{level.action}\n", style="bold")
    for reason in assessment.reasons:
        if reason.level is assessment.triage or reason.kind == "red_flag":
            body.append(f"\n• {reason.text}")
    return Panel(
        body,
        title=f"[bold]{level.marker} {level.label.upper()} {level.marker}[/]",
        border_style=f"bold {level.colour}",
        title_align="left",
    )


def causes_table(assessment: Assessment, kb: KnowledgeBase, count: int = 5) -> Table:
    table = Table(title="Most likely causes", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("Cause")
    table.add_column("Chance", justify="right")
    table.add_column("Because you said")
    table.add_column("Against it")
    for rank, condition in enumerate(assessment.top(count), start=1):
        table.add_row(
            str(rank),
            f"{condition.name}\n[dim]needs: {kb.levels[condition.disposition].label.lower()}[/]",
            f"{condition.probability:.0%}",
            "\n".join(item.statement for item in condition.supporting[:4]) or "-",
            "\n".join(item.statement for item in condition.opposing[:3]) or "-",
        )
    return table


def assessment_view(assessment: Assessment, kb: KnowledgeBase) -> Group:
    sources = {s for reason in assessment.reasons for s in reason.sources}
    cited = ", ".join(sorted(sources))
    return Group(
        triage_panel(assessment, kb),
        causes_table(assessment, kb),
        Text(f"Sources for this advice: {cited}", style="dim"),
        Text(assessment.notice, style="italic"),
    )
