"""Pure builders of Rich renderables from domain objects; commands do the printing."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.careplan import CarePlan
from spasmcare.knowledge.base import KnowledgeBase


def triage_panel(assessment: Assessment, kb: KnowledgeBase) -> Panel:
    """The decision first: level in words and colour (and a marker that reads without colour)."""
    level = kb.levels[assessment.triage]
    body = Text()
    body.append(f"{assessment.action}\n", style="bold")
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


_MEDICINE_STATUS = {
    "suggested": "[green]✓ suits you[/]",
    "caution": "[yellow]! with care[/]",
    "check_first": "[blue]? check first[/]",
    "left_out": "[red]✗ not for you[/]",
}


def careplan_view(plan: CarePlan, kb: KnowledgeBase) -> Group:
    """The care plan in the terminal: decision first, then phases, medicines, warning signs."""
    level = kb.levels[plan.triage]
    parts: list[RenderableType] = [
        Panel(
            Text.assemble((f"{plan.action}\n", "bold"), plan.headline),
            title=f"[bold]Your care plan · {level.marker} {level.label}[/]",
            border_style=f"bold {level.colour}",
            title_align="left",
        )
    ]
    for phase in plan.phases:
        body = Text()
        for item in phase.items:
            body.append("☐ ", style="bold")
            body.append(item.title, style="bold yellow" if item.highlight else "bold")
            if item.kind == "clinician":
                body.append(" (a clinician can offer this)", style="italic")
            if item.dose:
                body.append(f" — {item.dose}")
            body.append(f"\n  {item.detail}\n")
            for number, step in enumerate(item.steps, start=1):
                body.append(f"    {number}. {step}\n")
            if item.cautions:
                body.append(f"  Skip it if: {'; '.join(item.cautions)}\n", style="italic")
            if item.why:
                body.append(f"  {item.why}\n", style="dim")
            body.append(f"  Sources: {', '.join(item.sources)}\n\n", style="dim")
        parts.append(Panel(body, title=phase.title, title_align="left"))
    medicines = Table(title="Medicines you can buy", show_lines=True)
    medicines.add_column("For you")
    medicines.add_column("Medicine")
    medicines.add_column("How, or why not")
    for medicine in plan.medicines:
        how = medicine.how_to_use
        if medicine.status == "left_out":
            how = medicine.note or ""
        elif medicine.status == "check_first":
            how = f"{medicine.note} {medicine.how_to_use}"
        elif medicine.status == "caution":
            how = f"{medicine.how_to_use} Take care: {'; '.join(medicine.reasons)}"
        medicines.add_row(_MEDICINE_STATUS[medicine.status], medicine.name, how)
    parts.append(medicines if plan.medicines else Text(plan.medicines_note or ""))
    warnings = Text()
    for sign in plan.warning_signs:
        warnings.append(f"• {sign.text}: ")
        warnings.append(f"{sign.action}\n", style="bold")
    warnings.append(f"\n{plan.review}", style="bold")
    parts.append(
        Panel(warnings, title=plan.warning_signs_title, border_style="bold red", title_align="left")
    )
    parts.append(Text(plan.notice, style="italic"))
    return Group(*parts)
