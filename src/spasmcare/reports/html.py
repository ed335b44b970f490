"""HTML rendering with Jinja2 templates shipped in the package (no network resources)."""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, select_autoescape

from spasmcare.domain.careplan import CarePlan
from spasmcare.knowledge.base import KnowledgeBase


@functools.cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("spasmcare.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def careplan_html(plan: CarePlan, kb: KnowledgeBase, generated: str) -> str:
    """A standalone, printable page (its own CSS, nothing loaded from elsewhere)."""
    template = environment().get_template("careplan.html")
    return template.render(
        plan=plan, level=kb.levels[plan.triage], sources=kb.sources, generated=generated
    )
