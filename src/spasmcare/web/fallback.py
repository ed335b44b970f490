"""The static page shown when SpasmCare cannot give a result.

It is written from the knowledge base's emergency rules ahead of time (a test keeps the
shipped file in step with them), so showing it needs no engine, database or template.

    python -m spasmcare.web.fallback     # rewrite static/emergency-fallback.html
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.base import KnowledgeBase

FALLBACK = resources.files("spasmcare.web") / "static" / "emergency-fallback.html"


def fallback_html(kb: KnowledgeBase) -> str:
    from spasmcare.web.templating import TEMPLATES

    signs = list(
        dict.fromkeys(rule.watch_for for rule in kb.rules if rule.level is TriageLevel.EMERGENCY)
    )
    template = TEMPLATES.env.get_template("fallback.html")
    return template.render(
        signs=signs,
        action=kb.levels[TriageLevel.EMERGENCY].action,
        emergency_numbers=kb.emergency_numbers,
    )


def shipped_fallback() -> str:
    return FALLBACK.read_text(encoding="utf-8")


if __name__ == "__main__":
    from spasmcare.knowledge.loader import default_knowledge

    Path(str(FALLBACK)).write_text(fallback_html(default_knowledge()), encoding="utf-8")
